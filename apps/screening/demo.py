"""Demo screenings on the demo cases: realistic answer patterns, through the screening service.

Each interview is recorded a day after its case was opened (travelling there with
`time_machine`), so the engine computes and the service stamps every result. A few cases are
never screened, as in real data; the five historical years come from apps.reports.demo."""

import datetime

import time_machine
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case

from .catalogue import get_catalogue
from .models import Screening
from .services import screening_create

# Answer patterns seen in the field, each with the debt details that go with it.
PATTERNS = [
    (  # passport taken, debt for the recruitment fee that keeps growing: presumed victim
        {
            "dr_job_nature": "yes",
            "dr_wages": "yes",
            "dr_travel": "yes",
            "ex_excessive_hours": "yes",
            "ex_low_no_salary": "yes",
            "cd_documents": "yes",
            "cd_debt_bondage": "yes",
            "cd_threat_denunciation": "yes",
            "debt_owed": "yes",
            "debt_inflated": "yes",
            "debt_cannot_leave": "yes",
            "cr_violence": "no",
            "cd_isolation": "no",
            "cd_violence": "no",
            "cd_withholding_wages": "yes",
            "cd_not_free_to_leave": "yes",
        },
        {"amount": "450000", "currency": "KZT", "creditor": "recruiter"},
    ),
    (  # debt bondage and confiscated documents only: possible victim
        {"cd_debt_bondage": "yes", "cd_documents": "yes", "debt_owed": "yes"},
        {"amount": "60000", "currency": "RUB", "creditor": "employer"},
    ),
    (  # an ordinary overstay, every core question of the current catalogue answered no
        dict.fromkeys(get_catalogue().core_codes, "no"),
        None,
    ),
    (  # an interview cut short: incomplete
        {"dr_job_nature": "no", "cr_violence": "no", "ex_excessive_hours": "no"},
        None,
    ),
    (  # forced labour on a farm: long hours and withheld wages under threat
        {
            "ex_excessive_hours": "yes",
            "ex_living_conditions": "yes",
            "cd_withholding_wages": "yes",
            "cd_threat_denunciation": "yes",
            "debt_owed": "no",
        },
        None,
    ),
]


# Every seventh demo case is never screened: the case page then asks for a screening.
NEVER_SCREENED = 6


def _screener(case: Case) -> User | None:
    members = User.objects.filter(
        organization=case.organization, role__in=["inspector", "caseworker"], is_active=True
    ).order_by("role", "username")
    inspector = members.filter(role="inspector").first()
    return inspector or members.first()


def _interview(screener, case: Case, pattern: int, at: datetime.datetime, index: int) -> Screening:
    answers, debt = PATTERNS[pattern % len(PATTERNS)]
    with time_machine.travel(at, tick=False):
        return screening_create(
            actor=screener,
            case=case,
            answers=answers,
            debt=debt,
            interview_language=next(
                (lang for lang in case.person.languages if lang in {"ru", "kk", "uz", "tg", "ky"}),
                "ru",
            ),
            interpreter_used=index % 3 == 0,
            consent_given=True,
        )


def _candidates() -> list[Case]:
    """The cases this demo screens, in a stable order (the cases demo's, else every open case)."""
    from apps.cases.demo import demo_cases

    cases = [case for case in demo_cases() if case is not None]
    if not cases:
        # Without the cases demo (the app's own tests): the cases that exist, oldest first.
        cases = list(Case.objects.order_by("pk"))
    return cases


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Screen the demo cases that have no screening yet; idempotent."""
    created = 0
    latest = timezone.now() - datetime.timedelta(hours=1)
    for index, case in enumerate(_candidates()):
        if index % 7 == NEVER_SCREENED or case.status != Case.Status.OPEN:
            continue
        if Screening.objects.filter(case=case).exists():
            continue
        if case.removals.filter(protection_elsewhere=True).exists():
            # The removals demo's cross-script case: left unscreened, held by the flag elsewhere.
            continue
        screener = _screener(case)
        if screener is None:
            continue
        first = min(case.created_at + datetime.timedelta(days=1, hours=1), latest)
        _interview(screener, case, index, first, index)
        created += 1
        # Every fourth case is interviewed again later: the latest screening counts.
        again = min(first + datetime.timedelta(days=20), latest)
        if index % 4 == 3 and again > first:
            _interview(screener, case, 1, again, index)
            created += 1
    if stdout:
        stdout.write(f"  {created} screenings")
    return {"screenings": Screening.objects.count()}
