"""Retention: personal data of long-closed cases is removed; what reports count is kept.

A closed case keeps, after anonymisation, everything the annual report aggregates (region,
sector, dates, victim status, the person's sex and citizenship, the recruitment debt like the
wages and the screenings' debts, screenings with their result and the age at screening,
removals, referrals' statuses and dates, refusals of assistance and their dates, proceedings)
and loses everything that identifies or locates the person (names, date of birth, contacts,
document numbers, notes, free text (the case plan's words too), the timeline's old and new values, the employer and the
border crossing point, a removal override's justification, and the file number of a proceeding
once none of its cases is still kept).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record

from .models import (
    Case,
    CaseEvent,
    CaseNameKey,
    CaseNote,
    Employment,
    IdentityDocument,
    Person,
    PersonMatchKey,
)

# What an erased override justification reads: a removal that was overridden keeps a
# justification (a constraint of the removals), the words that may name the person go.
ERASED_JUSTIFICATION = "—"


def retention_cutoff(now=None):
    years = getattr(settings, "CASEMGR_RETENTION_YEARS", 5)
    return (now or timezone.now()) - timedelta(days=round(365.25 * years))


def cases_due_for_anonymisation(*, now=None):
    """Closed cases whose retention period has passed and that still hold personal data."""
    return Case.objects.filter(
        status=Case.Status.CLOSED, closed_at__lt=retention_cutoff(now), anonymised_at__isnull=True
    )


@transaction.atomic
def case_anonymise(*, case: Case, actor=None) -> Case:
    """Remove the personal data of one closed case, keeping what reports aggregate."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.anonymised_at is not None:
        return case
    # A person with another case still in retention keeps their data for that case.
    others = Case.objects.filter(person_id=case.person_id, anonymised_at__isnull=True).exclude(
        pk=case.pk
    )
    if not others.exists():
        Person.objects.filter(pk=case.person_id).update(
            given_name="", family_name="", middle_name="", date_of_birth=None, phone="",
            email="", address="", given_name_hash="", family_name_hash="",
            middle_name_hash="", date_of_birth_hash="",
        )  # fmt: skip
        # The matcher's keys and the name search's go with the names (apps/cases/matching.py).
        PersonMatchKey.objects.filter(person_id=case.person_id).delete()
        CaseNameKey.objects.filter(case__person_id=case.person_id).delete()
    IdentityDocument.objects.filter(case=case).update(number="", number_hash="")
    CaseNote.objects.filter(case=case).update(text="")
    Employment.objects.filter(case=case).update(address="", employer="")
    CaseEvent.objects.filter(case=case).update(data={})
    from apps.referrals.models import AssistanceRefusal, Referral

    Referral.objects.filter(case=case).update(
        reason="", contact_details="", decline_reason="", outcome=""
    )
    AssistanceRefusal.objects.filter(case=case).update(notes="")
    from apps.protection.models import Identification, ProtectionEvent

    # The grounds in words and the decision's file name the person; the decision's authority,
    # number, date and outcome stay (the annual report counts identifications).
    ProtectionEvent.objects.filter(case=case).update(grounds="")
    for record in Identification.objects.filter(case=case).exclude(document=""):
        record.document.delete(save=False)
        record.document_type = ""
        record.save(update_fields=["document", "document_type"])
    from apps.removals.models import Removal

    Removal.objects.filter(case=case).exclude(override_justification="").update(
        override_justification=ERASED_JUSTIFICATION
    )
    _erase_proceeding_references(case)
    from apps.caseplans.models import Action, Goal, Need

    # The plan's words go; its areas, levels, dates and statuses stay (they name no one).
    Need.objects.filter(plan__case=case).update(notes="")
    Goal.objects.filter(plan__case=case).update(description="")
    Action.objects.filter(goal__plan__case=case).update(description="")
    case.outcome = ""
    case.border_crossing_point = ""
    case.anonymised_at = timezone.now()
    case.save_versioned(update_fields=["outcome", "border_crossing_point", "anonymised_at"])
    audit_record(actor=actor, action="update", target=case, details={"anonymised": True})
    return case


def _erase_proceeding_references(case: Case) -> None:
    """A proceeding's file number goes with the last of its cases still kept: until then the
    other victims' cases need it."""
    from apps.proceedings.models import Proceeding

    kept = Case.objects.filter(anonymised_at__isnull=True).exclude(pk=case.pk)
    Proceeding.objects.filter(cases=case).exclude(reference="").exclude(cases__in=kept).update(
        reference=""
    )


def cases_anonymise_due(*, now=None, limit: int = 1000) -> int:
    """Anonymise up to `limit` due cases, each in its own transaction; returns how many."""
    done = 0
    for case_id in cases_due_for_anonymisation(now=now).values_list("pk", flat=True)[:limit]:
        case_anonymise(case=Case(pk=case_id))
        done += 1
    return done
