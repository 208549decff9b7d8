"""The proceedings section of the case page and how its timeline events read."""

from django.utils.translation import gettext as _

from . import selectors, services


def context(request, case) -> dict:
    """Proceedings linked to the case; the case page has already checked the user may see it."""
    return {
        "case": case,
        "proceedings": list(selectors.proceedings_for_case(case)),
        "can_create": request.user.role in services.WRITE_ROLES,
    }


def describe_linked(event) -> str:
    return _("Linked to criminal proceeding #%(proceeding)s.") % {
        "proceeding": event.data.get("proceeding", "?")
    }
