"""Demo screenings on the demo cases: realistic answer patterns from 2022 to 2026."""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent

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
        },
        {"amount": "450000", "currency": "KZT", "creditor": "recruiter"},
    ),
    (  # debt bondage and confiscated documents only: possible victim
        {"cd_debt_bondage": "yes", "cd_documents": "yes", "debt_owed": "yes"},
        {"amount": "60000", "currency": "RUB", "creditor": "employer"},
    ),
    (  # an ordinary overstay, every core question answered no
        {
            code: "no"
            for code in (
                "dr_job_nature",
                "dr_wages",
                "cr_violence",
                "ex_excessive_hours",
                "ex_low_no_salary",
                "cd_documents",
                "cd_debt_bondage",
                "cd_isolation",
                "cd_violence",
                "cd_threat_denunciation",
                "cd_withholding_wages",
                "debt_owed",
            )
        },
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


def _when(index: int) -> datetime.datetime:
    year = 2022 + index % 5
    day = datetime.date(year, 1 + (index * 5) % 12, 1 + (index * 7) % 27)
    moment = datetime.datetime.combine(day, datetime.time(10 + index % 7, 15))
    return min(timezone.make_aware(moment), timezone.now() - datetime.timedelta(days=2))


def _screener(case: Case) -> User | None:
    members = User.objects.filter(
        organization=case.organization, role__in=["inspector", "caseworker"], is_active=True
    ).order_by("role", "username")
    inspector = members.filter(role="inspector").first()
    return inspector or members.first()


def backdate(screening: Screening, moment: datetime.datetime) -> None:
    """Move a demo screening (and its timeline entry) to a date in the past."""
    from .services import age_on

    age = age_on(screening.case.person.date_of_birth, moment.date())
    Screening.objects.filter(pk=screening.pk).update(
        completed_at=moment, created_at=moment, person_age=age
    )
    # The screening's event is the case's newest "screening_completed" one: it was just written.
    event = (
        CaseEvent.objects.filter(case=screening.case, kind="screening_completed")
        .order_by("-id")
        .first()
    )
    if event is not None:
        CaseEvent.objects.filter(pk=event.pk).update(at=moment)


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Screen the demo cases that have no screening yet; idempotent."""
    cases = list(Case.objects.filter(screenings__isnull=True).order_by("pk"))
    if not cases:
        return {"screenings": Screening.objects.count()}
    created = 0
    for index, case in enumerate(cases):
        screener = _screener(case)
        if screener is None or case.status != Case.Status.OPEN:
            continue
        answers, debt = PATTERNS[index % len(PATTERNS)]
        screening = screening_create(
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
        backdate(screening, _when(index))
        created += 1
        # Every fourth case is interviewed again later: the latest screening counts.
        if index % 4 == 3:
            again = screening_create(
                actor=screener,
                case=case,
                answers=PATTERNS[1][0],
                debt=PATTERNS[1][1],
                interview_language="ru",
                interpreter_used=True,
                consent_given=True,
            )
            later = _when(index) + datetime.timedelta(days=40)
            backdate(again, min(later, timezone.now() - datetime.timedelta(days=1)))
            created += 1
    if stdout:
        stdout.write(f"  {created} screenings")
    return {"screenings": Screening.objects.count()}
