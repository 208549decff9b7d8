"""Reads of protection records, scoped to the cases the user may see."""

from django.db.models import QuerySet

from apps.cases.selectors import case_list_for_user

from .models import Identification, ProtectionEvent


def identification_list_for_user(user) -> QuerySet[Identification]:
    """Formal identifications of the persons of the cases the user may see."""
    persons = case_list_for_user(user).values("person_id")
    return Identification.objects.select_related("recorded_by").filter(person_id__in=persons)


def protection_history(person_id: int) -> QuerySet[ProtectionEvent]:
    """A person's protection status changes, newest first (the caller has checked access)."""
    return ProtectionEvent.objects.select_related("actor", "identification").filter(
        person_id=person_id
    )
