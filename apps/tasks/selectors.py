"""Reads of tasks and follow-ups, always scoped to the user: a task is seen by whoever may see
its case; a task on no case (a certification) by its assignee, its organisation's members who
see the team's work, and administrators and auditors."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404, has_role, is_global_reader

from .models import FollowUp, Task

TEAM_ROLES = frozenset({"caseworker", "inspector", "administrator"})


def _base() -> QuerySet[Task]:
    return Task.objects.select_related("case", "assigned_to", "completed_by")


def task_list_for_user(user) -> QuerySet[Task]:
    """Every task the user may see."""
    qs = _base()
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if is_global_reader(user):
        return qs
    if user.organization_id is None:
        return qs.none()
    visible_cases = case_list_for_user(user).order_by().values("pk")
    return qs.filter(
        Q(case_id__in=visible_cases)
        | Q(case__isnull=True, organization_id=user.organization_id)
        | Q(case__isnull=True, assigned_to=user)
    )


def task_get_for_user(user, *, task_id) -> Task:
    """One task the user may see (404 otherwise)."""
    return get_or_404(task_list_for_user(user), pk=task_id)


def task_list_mine(user) -> QuerySet[Task]:
    """The user's own tasks (all statuses), by due date."""
    if not (user.is_authenticated and user.is_active):
        return Task.objects.none()
    return task_list_for_user(user).filter(assigned_to=user)


def can_see_team(user) -> bool:
    return has_role(user, TEAM_ROLES) and (
        user.organization_id is not None or user.role == "administrator"
    )


def task_list_team(user) -> QuerySet[Task]:
    """The organisation's open tasks (every organisation's for administrators)."""
    if not can_see_team(user):
        return Task.objects.none()
    qs = task_list_for_user(user).filter(status=Task.Status.OPEN)
    if user.organization_id is not None:
        qs = qs.filter(organization_id=user.organization_id)
    return qs


def task_filter(qs: QuerySet[Task], filters: dict, *, user=None) -> QuerySet[Task]:
    """Narrow a scoped list: status, kind, due (overdue/today/week/later), assignee, case."""
    today = timezone.localdate()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    due = filters.get("due")
    if due == "overdue":
        qs = qs.filter(due_on__lt=today, status=Task.Status.OPEN)
    elif due == "today":
        qs = qs.filter(due_on=today)
    elif due == "week":
        qs = qs.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7))
    elif due == "later":
        qs = qs.filter(due_on__gt=today + datetime.timedelta(days=7))
    assignee = filters.get("assigned_to")
    if assignee == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assignee not in (None, ""):
        qs = qs.filter(assigned_to_id=assignee)
    if filters.get("case"):
        qs = qs.filter(case_id=filters["case"])
    return qs


def tasks_of_case(user, *, case) -> list[Task]:
    """The case's open tasks and the last ones closed (the caller has checked the case)."""
    tasks = _base().filter(case=case)
    open_tasks = list(tasks.filter(status=Task.Status.OPEN).order_by("due_on", "id")[:50])
    closed = list(tasks.exclude(status=Task.Status.OPEN).order_by("-completed_at", "-id")[:10])
    return open_tasks + closed


def home_tasks(user, *, horizon_days: int = 14) -> dict:
    """The home page: the user's overdue and today's open tasks, and the next deadlines."""
    today = timezone.localdate()
    mine = task_list_mine(user).filter(status=Task.Status.OPEN)
    return {
        "today": today,
        "overdue": list(mine.filter(due_on__lt=today).order_by("due_on", "id")[:20]),
        "due_today": list(mine.filter(due_on=today).order_by("id")[:20]),
        "upcoming": list(
            mine.filter(
                due_on__gt=today, due_on__lte=today + datetime.timedelta(days=horizon_days)
            ).order_by("due_on", "id")[:10]
        ),
    }


# --- follow-ups -----------------------------------------------------------------------------


def follow_up_list_for_user(user) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.select_related("case", "assigned_to", "recorded_by")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if is_global_reader(user):
        return qs
    return qs.filter(case_id__in=case_list_for_user(user).order_by().values("pk"))


def follow_up_get_for_user(user, *, follow_up_id) -> FollowUp:
    return get_or_404(follow_up_list_for_user(user), pk=follow_up_id)


def follow_ups_of_case(case) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(case=case)
        .select_related("assigned_to", "recorded_by")
        .order_by("-planned_on", "-done_on", "-id")
    )
