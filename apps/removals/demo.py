"""Demo removals through the removals service: pending without a screening, decided after a
negative screening, suspended by a flagging screening, and one administrator override made
after the screening had gone stale (so not every decision had a recent screening)."""

import datetime

import time_machine
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.identity import russian_cyrillic
from apps.cases.models import Case
from apps.core.exceptions import WorkflowError
from apps.screening.models import Screening

from .models import Removal
from .services import identity_check_record, removal_decide, removal_propose

GROUNDS = ["overstay", "document_violation", "illegal_employment", "overstay", "other"]


def _inspector(case: Case) -> User | None:
    inspectors = User.objects.filter(role="inspector", is_active=True).order_by("username")
    return (
        inspectors.filter(organization=case.organization).first()
        or inspectors.filter(organization__region=case.region).first()
        or inspectors.first()
    )


def _at(moment: datetime.datetime, days: int) -> datetime.datetime:
    return min(moment + datetime.timedelta(days=days), timezone.now() - datetime.timedelta(hours=1))


IDENTITY_CHECK_REASON = (
    "The administrator compared the passports and photographs: a different person with a "
    "similar name."
)


def lawful_grounds(case: Case, grounds: str) -> str:
    """The demo proposes only what the law allows (issue 16 item 5): no illegal employment for
    EAEU citizens, no document violation while an employer holds the documents."""
    from apps.cases.stay import EAEU

    from .services import documents_withheld

    if grounds == "illegal_employment" and case.person.citizenship in EAEU:
        return "overstay"
    if grounds == "document_violation" and documents_withheld(case):
        return "overstay"
    return grounds


def _decide(inspector, removal: Removal, decision: str) -> None:
    """Decide as an inspector would: a possible match with a flagged person elsewhere is first
    checked and recorded as not the same person (the gate asks for it)."""
    try:
        removal_decide(actor=inspector, removal=removal, decision=decision)
    except WorkflowError as exc:
        if exc.code != "identity_check_required":
            raise
        identity_check_record(actor=inspector, removal=removal, reason=IDENTITY_CHECK_REASON)
        removal_decide(actor=inspector, removal=removal, decision=decision)


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Propose and decide removals on some demo cases; idempotent."""
    if Removal.objects.exists():
        return {"removals": Removal.objects.count()}
    cases = list(Case.objects.filter(status=Case.Status.OPEN).order_by("pk"))
    administrator = User.objects.filter(role="administrator", is_active=True).first()
    overridden = False
    for index, case in enumerate(cases):
        inspector = _inspector(case)
        if inspector is None or index % 6 == 5:
            continue
        # Only a complete interview counts for a decision (an incomplete result is ignored).
        latest = (
            Screening.objects.filter(case=case, status="complete")
            .exclude(trafficking="incomplete")
            .order_by("-completed_at")
            .first()
        )
        grounds = lawful_grounds(case, GROUNDS[index % len(GROUNDS)])
        if latest is None:
            # Proposed, and waiting: no decision is possible before a screening.
            with time_machine.travel(_at(case.created_at, 2), tick=False):
                removal_propose(actor=inspector, case=case, grounds=grounds)
            continue
        with time_machine.travel(_at(latest.completed_at, 3), tick=False):
            removal = removal_propose(actor=inspector, case=case, grounds=grounds)
        if not latest.flagged and removal.status == Removal.Status.PENDING:
            if index % 3 != 1:
                decided = _at(latest.completed_at, 10)
                with time_machine.travel(decided, tick=False):
                    _decide(inspector, removal, "remove" if index % 2 == 0 else "no_removal")
            continue
        # Suspended at the proposal (the person is flagged). For one of them, the interagency
        # commission formally identifies the person as a victim, and an administrator decides
        # "no removal" (always allowed; no override is needed).
        decided_at = latest.completed_at + datetime.timedelta(days=45)
        if not overridden and administrator and decided_at < timezone.now():
            from apps.protection.services import identification_record

            with time_machine.travel(decided_at, tick=False):
                identification_record(
                    actor=administrator,
                    case=case,
                    authority="Межведомственная комиссия по вопросам борьбы с торговлей людьми",
                    decision_number=f"IC-{case.pk:04d}",
                    decided_on=timezone.localdate(),
                    outcome="identified",
                )
                removal.refresh_from_db()
                removal_decide(actor=administrator, removal=removal, decision="no_removal")
            overridden = True
    _the_same_person_in_cyrillic()
    if stdout:
        stdout.write(f"  {Removal.objects.count()} removals")
    return {"removals": Removal.objects.count()}


def _the_same_person_in_cyrillic() -> None:
    """Protection follows the person: a person flagged in one organisation under the Latin
    spelling of the passport is met by another inspectorate, written in Cyrillic from the
    migration card; the removal proposed there is suspended at once (protection_elsewhere)."""
    from apps.cases.services import case_open

    flagged = (
        Case.objects.filter(
            status=Case.Status.OPEN, person__protection_status__in=["possible", "presumed"]
        )
        .exclude(person__date_of_birth=None)
        .select_related("person", "organization")
        .order_by("pk")
        .first()
    )
    inspector = (
        User.objects.filter(role="inspector", is_active=True)
        .exclude(organization=flagged.organization if flagged else None)
        .order_by("username")
        .first()
    )
    if flagged is None or inspector is None:
        return
    person = flagged.person
    case = case_open(
        actor=inspector,
        person={
            "given_name": russian_cyrillic(person.given_name),
            "family_name": russian_cyrillic(person.family_name),
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "citizenship": person.citizenship,
            "languages": person.languages,
        },
        region=inspector.organization.region or flagged.region,
        sector=flagged.sector,
        identified_via="labour_inspection",
        entry_date=flagged.entry_date,
        stay_basis=flagged.stay_basis,
        permit_valid_until=flagged.permit_valid_until,
    )
    removal_propose(actor=inspector, case=case, grounds="overstay")
