"""Demo tasks and follow-ups, through the services only: the rule tasks of every demo case,
a manual task or two for each demo caseworker and inspector, and a follow-up done with the next
one planned. Idempotent: a second run finds what the first made and adds nothing."""

import datetime

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case

from . import rules, services
from .models import FollowUp, Task

SEED_AFTER = (
    "cases",
    "screening",
    "removals",
    "protection",
    "referrals",
    "training",
    "proceedings",
)

# (days from today, title): titles name no person, as demo data should not.
MANUAL_TASKS = [
    (0, "Collect the signed consent form"),
    (-2, "Send the wage claim to the labour inspectorate"),
    (4, "Book an interpreter for the next interview"),
]

FOLLOW_UP = ("phone", "The person's employer", "Wages for October paid; passport still held.")


def _users():
    return User.objects.filter(
        role__in=["caseworker", "inspector"], is_active=True, organization__isnull=False
    ).order_by("pk")


def _first_case(user):
    return (
        Case.objects.filter(organization_id=user.organization_id, status="open")
        .order_by("pk")
        .first()
    )


def _seed_manual(today) -> int:
    created = 0
    for user in _users():
        case = _first_case(user)
        if case is None or Task.objects.filter(created_by=user, source="manual").exists():
            continue
        for offset, title in MANUAL_TASKS:
            services.task_create(
                actor=user,
                case=case,
                title=title,
                due_on=today + datetime.timedelta(days=offset),
                assigned_to=user.pk,
            )
            created += 1
    return created


def _seed_follow_ups(today) -> int:
    created = 0
    for user in _users().filter(role="caseworker"):
        case = _first_case(user)
        if case is None or FollowUp.objects.filter(case=case).exists():
            continue
        kind, with_whom, outcome = FOLLOW_UP
        services.follow_up_record_new(
            actor=user,
            case=case,
            kind=kind,
            done_on=today - datetime.timedelta(days=2),
            with_whom=with_whom,
            outcome=outcome,
            next_on=today + datetime.timedelta(days=3),
            assigned_to=user.pk,
        )
        created += 1
    return created


def seed(*, stdout=None) -> dict:
    today = timezone.localdate()
    synced = rules.sync_all()
    result = {
        "rule_tasks": synced.created,
        "manual_tasks": _seed_manual(today),
        "follow_ups": _seed_follow_ups(today),
    }
    if stdout is not None:
        stdout.write(
            f"  rule tasks added: {result['rule_tasks']}, manual tasks added: "
            f"{result['manual_tasks']}, follow-ups recorded: {result['follow_ups']}"
        )
    return result
