"""How the removals app's timeline events read."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from .models import Removal


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _date(value: str | None) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(value or ""), "DATE_FORMAT")
    except ValueError:
        return value or ""


def removal_proposed(event) -> str:
    return _("Removal proposed on the grounds of: %(grounds)s.") % {
        "grounds": _label(Removal.Grounds, event.data.get("grounds", ""))
    }


def removal_suspended(event) -> str:
    if event.data.get("decision_withdrawn"):
        return _(
            "A decided removal, not yet enforced, returned to suspended because the person was "
            "flagged; reflection period until %(date)s."
        ) % {"date": _date(event.data.get("reflection_until"))}
    if event.data.get("protection_elsewhere"):
        return _(
            "Removal suspended because the same person carries a protection flag in another "
            "case; reflection period until %(date)s."
        ) % {"date": _date(event.data.get("reflection_until"))}
    return _(
        "Removal suspended because the person is flagged as a possible, presumed or identified "
        "victim; reflection period until %(date)s."
    ) % {"date": _date(event.data.get("reflection_until"))}


def removal_decided(event) -> str:
    return _("Removal decided: %(decision)s.") % {
        "decision": _label(Removal.Decision, event.data.get("decision", ""))
    }


def removal_overridden(event) -> str:
    grounds = event.data.get("grounds")
    if grounds:
        return _(
            "An administrator overrode the protection and decided: %(decision)s, on the grounds "
            "of: %(grounds)s (with a written justification)."
        ) % {
            "decision": _label(Removal.Decision, event.data.get("decision", "")),
            "grounds": _label(Removal.OverrideGrounds, grounds),
        }
    return _(
        "An administrator overrode the suspension and decided: %(decision)s (with a written "
        "justification)."
    ) % {"decision": _label(Removal.Decision, event.data.get("decision", ""))}


def removal_enforced(event) -> str:
    return _("Removal enforced.")


def identity_checked(event) -> str:
    return _("Recorded after a check: a flagged person known elsewhere is not the same person.")
