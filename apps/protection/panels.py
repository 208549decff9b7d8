"""The protection section of the case page: the person's status, history and identifications."""

from apps.removals.protection import protection_for

from . import selectors, services
from .forms import GroundsForm, IdentificationForm


def case_panel_context(request, case) -> dict:
    user = request.user
    person = case.person
    protection = protection_for(case)
    return {
        "case": case,
        "person": person,
        "flagged": services.is_flagged(person.protection_status),
        "protection_elsewhere": protection.elsewhere,
        "history": list(selectors.protection_history(person.pk)[:20]),
        "identifications": list(person.identifications.select_related("recorded_by")),
        "grounds_form": GroundsForm()
        if services.can_record_grounds(user)
        and services.RANK[person.protection_status] < services.RANK["presumed"]
        else None,
        "identification_form": IdentificationForm()
        if services.can_record_identification(user)
        else None,
    }
