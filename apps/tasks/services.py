"""Writes on tasks and follow-ups: manual tasks, completing, cancelling and reassigning, and
planning and recording follow-ups (docs/tasks.md)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import assignable_users, can_change_case, case_event_record
from apps.core.exceptions import WorkflowError

from .models import FollowUp, Task
from .rules import sync_case_tasks

# How far ahead a task or follow-up may be planned, and how far back one may be recorded.
MAX_AHEAD_DAYS = 3 * 366
MAX_BACK_DAYS = 366


def can_write_task(user, task: Task) -> bool:
    """Those who may change the case; for a task on no case, its assignee and administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    if task.case_id is not None:
        return can_change_case(user, task.case)
    return user.role == "administrator" or task.assigned_to_id == user.pk


def _require_case_write(actor, case: Case) -> None:
    if not can_change_case(actor, case):
        raise PermissionDenied(_("You may not change this case."))
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("The case is closed. Reopen it before changing it."), code="case_closed"
        )


def _clean_date(value, field: str, errors: dict, *, past_ok: bool = True, future_ok=True):
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = [_("Give the date as YYYY-MM-DD.")]
        return None
    today = timezone.localdate()
    if not past_ok and value < today:
        errors[field] = [_("The date cannot be in the past.")]
    elif not future_ok and value > today:
        errors[field] = [_("The date cannot be in the future.")]
    elif value > today + datetime.timedelta(days=MAX_AHEAD_DAYS):
        errors[field] = [_("The date is too far in the future.")]
    elif value < today - datetime.timedelta(days=MAX_BACK_DAYS):
        errors[field] = [_("The date is too far in the past.")]
    return value


def _clean_assignee(user_or_id, *, organization_id, errors: dict, field: str = "assigned_to"):
    if user_or_id in (None, ""):
        return None
    pk = getattr(user_or_id, "pk", user_or_id)
    try:
        pk = int(pk)
        if -(2**63) <= pk < 2**63:
            return assignable_users(organization_id=organization_id).get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        pass
    errors[field] = [_("Assign the task to a caseworker or inspector of the organisation.")]
    return None


# --- tasks ----------------------------------------------------------------------------------


@transaction.atomic
def task_create(*, actor, case: Case, title: str, due_on, assigned_to=None) -> Task:
    """A manual task on a case the actor may change."""
    _require_case_write(actor, case)
    errors: dict[str, list] = {}
    title = (title or "").strip() if isinstance(title, str) else ""
    if not title:
        errors["title"] = [_("Say what is to be done.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    _clean_date(due_on, "due_on", errors)
    assignee = _clean_assignee(assigned_to, organization_id=case.organization_id, errors=errors)
    if errors:
        raise ValidationError(errors)
    if assignee is None and assigned_to in (None, ""):
        assignee = actor if actor.organization_id == case.organization_id else case.assigned_to
    task = Task.objects.create(
        organization_id=case.organization_id,
        case=case,
        kind=Task.Kind.MANUAL,
        title=title,
        due_on=due_on,
        assigned_to=assignee,
        source=Task.Source.MANUAL,
        created_by=actor,
    )
    case_event_record(case=case, actor=actor, kind="task_added", data={"task": task.pk})
    audit_record(actor=actor, action="create", target=task, details={"case": case.pk})
    return task


UPDATABLE = {"status", "assigned_to", "due_on", "title"}


@transaction.atomic
def task_update(*, actor, task: Task, version: int | None, data: dict[str, Any]) -> Task:
    """Complete, cancel or reassign a task (and, for a manual one, change its title or date)."""
    unknown = set(data) - UPDATABLE
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    if not can_write_task(actor, task):
        raise PermissionDenied(_("You may not change this task."))
    task = Task.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)
    task.check_version(version)
    errors: dict[str, list] = {}
    fields: list[str] = []
    changes: list[str] = []
    status = data.get("status", task.status)
    if "status" in data and status != task.status:
        if status not in {Task.Status.DONE, Task.Status.CANCELLED}:
            errors["status"] = [_("A task can only be marked done or cancelled.")]
        elif not task.is_open:
            raise WorkflowError(_("This task is already closed."), code="invalid_transition")
        else:
            task.status = status
            task.completed_at = timezone.now()
            task.completed_by = actor
            fields += ["status", "completed_at", "completed_by"]
            changes.append("status")
    if "assigned_to" in data:
        assignee = _clean_assignee(
            data["assigned_to"], organization_id=task.organization_id, errors=errors
        )
        if assignee is None and "assigned_to" not in errors and task.subject_user_id:
            errors["assigned_to"] = [_("A certification task keeps its assignee.")]
        if "assigned_to" not in errors and getattr(assignee, "pk", None) != task.assigned_to_id:
            task.assigned_to = assignee
            fields.append("assigned_to")
            changes.append("assigned_to")
    for name in ("due_on", "title"):
        if name not in data:
            continue
        if task.source != Task.Source.MANUAL:
            errors[name] = [_("A rule's task follows its dates; this cannot be changed.")]
            continue
        value = data[name]
        if name == "due_on":
            _clean_date(value, name, errors)
        else:
            value = value.strip() if isinstance(value, str) else ""
            if not value or len(value) > 200:
                errors[name] = [_("Say what is to be done, in under 200 characters.")]
        if name not in errors and getattr(task, name) != value:
            setattr(task, name, value)
            fields.append(name)
            changes.append(name)
    if errors:
        raise ValidationError(errors)
    if fields:
        if task.is_open is False and "status" not in changes and changes:
            raise WorkflowError(_("This task is already closed."), code="invalid_transition")
        task.save_versioned(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="update", target=task, details={"fields": changes})
        if task.case_id and "status" in changes:
            case_event_record(
                case=task.case,
                actor=actor,
                kind="task_closed",
                data={"task": task.pk, "status": task.status},
            )
    return task


# --- follow-ups -----------------------------------------------------------------------------


def _clean_follow_up(*, kind, with_whom, errors: dict) -> str:
    if kind not in FollowUp.Kind.values:
        errors["kind"] = [_("Choose the kind: phone, visit, office or message.")]
    with_whom = with_whom.strip() if isinstance(with_whom, str) else ""
    if len(with_whom) > 200:
        errors["with_whom"] = [_("Keep this under 200 characters.")]
    return with_whom


def _follow_up_plan(*, actor, case, kind, planned_on, with_whom, assigned_to) -> FollowUp:
    follow_up = FollowUp.objects.create(
        case=case,
        kind=kind,
        status=FollowUp.Status.PLANNED,
        planned_on=planned_on,
        with_whom=with_whom,
        assigned_to=assigned_to,
        created_by=actor,
    )
    case_event_record(
        case=case, actor=actor, kind="follow_up_planned", data={"follow_up": follow_up.pk}
    )
    audit_record(actor=actor, action="create", target=follow_up, details={"case": case.pk})
    return follow_up


@transaction.atomic
def follow_up_plan(
    *, actor, case: Case, kind: str, planned_on, with_whom: str = "", assigned_to=None
) -> FollowUp:
    """Plan a contact or visit; its task is due on the planned day."""
    _require_case_write(actor, case)
    errors: dict[str, list] = {}
    with_whom = _clean_follow_up(kind=kind, with_whom=with_whom, errors=errors)
    _clean_date(planned_on, "planned_on", errors, past_ok=False)
    assignee = _clean_assignee(assigned_to, organization_id=case.organization_id, errors=errors)
    if errors:
        raise ValidationError(errors)
    if assignee is None and actor.organization_id == case.organization_id:
        assignee = actor
    follow_up = _follow_up_plan(
        actor=actor,
        case=case,
        kind=kind,
        planned_on=planned_on,
        with_whom=with_whom,
        assigned_to=assignee,
    )
    sync_case_tasks(case)
    return follow_up


def _close_tasks(follow_up: FollowUp, *, actor, status: str) -> None:
    now = timezone.now()
    for task in Task.objects.select_for_update().filter(
        follow_up=follow_up, status=Task.Status.OPEN
    ):
        task.status = status
        task.completed_at = now
        task.completed_by = actor
        task.save_versioned(update_fields=["status", "completed_at", "completed_by", "updated_at"])


def _record(*, actor, follow_up: FollowUp, done_on, outcome: str, next_on, errors) -> FollowUp:
    outcome = outcome.strip() if isinstance(outcome, str) else ""
    _clean_date(done_on, "done_on", errors, future_ok=False)
    if next_on not in (None, ""):
        _clean_date(next_on, "next_on", errors, past_ok=False)
    else:
        next_on = None
    if errors:
        raise ValidationError(errors)
    follow_up.status = FollowUp.Status.DONE
    follow_up.done_on = done_on
    follow_up.outcome = outcome
    follow_up.next_on = next_on
    follow_up.recorded_by = actor
    return follow_up


def _plan_next(*, actor, follow_up: FollowUp) -> None:
    if follow_up.next_on is None:
        return
    follow_up.next_follow_up = _follow_up_plan(
        actor=actor,
        case=follow_up.case,
        kind=follow_up.kind,
        planned_on=follow_up.next_on,
        with_whom=follow_up.with_whom,
        assigned_to=follow_up.assigned_to,
    )


@transaction.atomic
def follow_up_record(
    *,
    actor,
    follow_up: FollowUp,
    version: int | None,
    done_on,
    outcome: str = "",
    next_on=None,
) -> FollowUp:
    """Record a planned follow-up as done: its task closes, and a next date plans the next."""
    case = follow_up.case
    _require_case_write(actor, case)
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",)).select_related("case").get(pk=follow_up.pk)
    )
    follow_up.check_version(version)
    if follow_up.status != FollowUp.Status.PLANNED:
        raise WorkflowError(
            _("Only a planned follow-up can be recorded as done."), code="invalid_transition"
        )
    _record(
        actor=actor,
        follow_up=follow_up,
        done_on=done_on,
        outcome=outcome,
        next_on=next_on,
        errors={},
    )
    _plan_next(actor=actor, follow_up=follow_up)
    follow_up.save_versioned(
        update_fields=[
            "status",
            "done_on",
            "outcome",
            "next_on",
            "recorded_by",
            "next_follow_up",
            "updated_at",
        ]
    )
    _close_tasks(follow_up, actor=actor, status=Task.Status.DONE)
    case_event_record(
        case=case, actor=actor, kind="follow_up_done", data={"follow_up": follow_up.pk}
    )
    audit_record(actor=actor, action="update", target=follow_up, details={"status": "done"})
    sync_case_tasks(case)
    return follow_up


@transaction.atomic
def follow_up_record_new(
    *,
    actor,
    case: Case,
    kind: str,
    done_on,
    with_whom: str = "",
    outcome: str = "",
    next_on=None,
    assigned_to=None,
) -> FollowUp:
    """Record a contact or visit that was not planned; a next date plans the next one."""
    _require_case_write(actor, case)
    errors: dict[str, list] = {}
    with_whom = _clean_follow_up(kind=kind, with_whom=with_whom, errors=errors)
    assignee = _clean_assignee(assigned_to, organization_id=case.organization_id, errors=errors)
    follow_up = FollowUp(case=case, kind=kind, with_whom=with_whom, created_by=actor)
    _record(
        actor=actor,
        follow_up=follow_up,
        done_on=done_on,
        outcome=outcome,
        next_on=next_on,
        errors=errors,
    )
    follow_up.assigned_to = assignee or (
        actor if actor.organization_id == case.organization_id else None
    )
    _plan_next(actor=actor, follow_up=follow_up)
    follow_up.save()
    case_event_record(
        case=case, actor=actor, kind="follow_up_done", data={"follow_up": follow_up.pk}
    )
    audit_record(actor=actor, action="create", target=follow_up, details={"case": case.pk})
    sync_case_tasks(case)
    return follow_up


@transaction.atomic
def follow_up_cancel(*, actor, follow_up: FollowUp, version: int | None) -> FollowUp:
    """Cancel a planned follow-up; its task is cancelled with it."""
    case = follow_up.case
    _require_case_write(actor, case)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.check_version(version)
    if follow_up.status != FollowUp.Status.PLANNED:
        raise WorkflowError(
            _("Only a planned follow-up can be cancelled."), code="invalid_transition"
        )
    follow_up.status = FollowUp.Status.CANCELLED
    follow_up.save_versioned(update_fields=["status", "updated_at"])
    _close_tasks(follow_up, actor=actor, status=Task.Status.CANCELLED)
    audit_record(actor=actor, action="update", target=follow_up, details={"status": "cancelled"})
    sync_case_tasks(case)
    return follow_up
