"""Demo removals: pending, suspended by a screening, decided (with and without a screening
before the decision) and one administrator override."""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.screening.models import Screening

from .models import Removal
from .services import removal_override, removal_propose

GROUNDS = ["overstay", "document_violation", "illegal_employment", "overstay", "other"]


def _inspector(case: Case) -> User | None:
    inspectors = User.objects.filter(role="inspector", is_active=True).order_by("username")
    return (
        inspectors.filter(organization=case.organization).first()
        or inspectors.filter(organization__region=case.region).first()
        or inspectors.first()
    )


def _historical(case, inspector, screening, *, index: int) -> Removal:
    # Decisions from before casemgr enforced the gate are loaded as they were recorded.
    decided_at = (
        screening.completed_at + datetime.timedelta(days=10)
        if screening is not None
        else timezone.make_aware(datetime.datetime(2022 + index % 2, 3 + index % 9, 12, 11))
    )
    decision = "remove" if index % 2 == 0 else "no_removal"
    return Removal.objects.create(
        case=case,
        grounds=GROUNDS[index % len(GROUNDS)],
        proposed_on=(decided_at - datetime.timedelta(days=20)).date(),
        proposed_by=inspector,
        status=f"decided_{decision}",
        decision=decision,
        decided_at=decided_at,
        decided_by=inspector,
        screening_at_decision=screening,
        screened_before_decision=screening is not None,
    )


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
        latest = (
            Screening.objects.filter(case=case, status="complete").order_by("-completed_at").first()
        )
        if latest is not None and not latest.flagged:
            _historical(case, inspector, latest, index=index)
        elif latest is None or index % 5 == 1:
            _historical(case, inspector, None, index=index)
        else:
            removal = removal_propose(
                actor=inspector,
                case=case,
                grounds=GROUNDS[index % len(GROUNDS)],
                proposed_on=timezone.localdate() - datetime.timedelta(days=index % 20),
            )
            if removal.status == Removal.Status.SUSPENDED and not overridden and administrator:
                removal_override(
                    actor=administrator,
                    removal=removal,
                    decision="remove",
                    justification=(
                        "Formal identification by the interagency commission found no "
                        "exploitation; the person asked to return home with IOM assistance."
                    ),
                )
                overridden = True
    if stdout:
        stdout.write(f"  {Removal.objects.count()} removals")
    return {"removals": Removal.objects.count()}
