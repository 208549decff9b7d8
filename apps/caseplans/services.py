"""Writes on case plans: assess the needs, add goals and actions, record progress, complete.

Every write takes the plan's version (None skips the check, for the HTML forms that hold it in
a hidden field all the same) and bumps it, is audited and goes on the case's timeline. The plan
is changed only while the case is open; it is written by those who may change the case.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import can_change_case, case_event_record
from apps.core.exceptions import WorkflowError

from .models import LEVELS_NEEDING_GOALS, Action, CasePlan, Goal, Need, NeedArea, NeedLevel

NOTES_MAX = 5000
TEXT_MAX = 2000
# A goal is planned within this many days: a plan is for the coming months, not for years.
HORIZON_DAYS = 3 * 366


def _require_writer(actor, case: Case) -> None:
    if not can_change_case(actor, case):
        raise PermissionDenied(_("You may not change this case."))
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("The case is closed. Reopen it before changing it."), code="case_closed"
        )


def _locked_plan(case: Case, version: int | None) -> CasePlan | None:
    plan = CasePlan.objects.select_for_update().filter(case=case).first()
    if plan is not None:
        plan.check_version(version)
    return plan


def _text(value, *, field: str, required: bool, limit: int, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = [_("Enter text.")]
        return ""
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [
            _("At most %(limit)s characters.") % {"limit": f"{limit:,}".replace(",", "\u00a0")}
        ]
    return text


def _responsible(case: Case, user_id, errors: dict, field: str = "responsible") -> User | None:
    """An active user of the case's organisation; one message for anyone else or nobody."""
    if user_id in (None, ""):
        return None
    pk = getattr(user_id, "pk", user_id)
    user = User.objects.filter(
        pk=pk if str(pk).isdigit() else None, is_active=True, organization_id=case.organization_id
    ).first()
    if user is None:
        errors[field] = [_("Choose a person of the organisation that holds the case.")]
    return user


def _due(value, *, field: str, errors: dict, required: bool = True) -> date | None:
    today = timezone.localdate()
    if value is None:
        if required:
            errors[field] = [_("Enter a date.")]
        return None
    if value < today:
        errors[field] = [_("The date cannot be in the past.")]
    elif (value - today).days > HORIZON_DAYS:
        errors[field] = [_("Plan within the next three years.")]
    return value


def _changed(*, actor, plan: CasePlan, what: str, details: dict | None = None) -> None:
    """Bump the version, audit and write the change on the timeline."""
    plan.updated_at = timezone.now()
    plan.save_versioned(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    audit_record(
        actor=actor, action="update", target=plan, details={"change": what, **(details or {})}
    )
    kind = "caseplan_completed" if what == "completed" else "caseplan_changed"
    case_event_record(case=plan.case, actor=actor, kind=kind, data={"change": what})


@transaction.atomic
def caseplan_assess(*, actor, case: Case, version: int | None, needs: dict[str, dict]) -> CasePlan:
    """Record the needs assessment (area → level and notes); creates the plan the first time.
    Areas not named keep their assessment."""
    _require_writer(actor, case)
    errors: dict[str, list[str]] = {}
    cleaned = {}
    if not isinstance(needs, dict) or not needs:
        raise ValidationError({"needs": [_("Assess at least one area.")]})
    for area, values in needs.items():
        if area not in NeedArea.values:
            errors[f"needs.{area}"] = [_("Unknown area of need.")]
            continue
        values = values if isinstance(values, dict) else {}
        level = values.get("level")
        if level not in NeedLevel.values:
            errors[f"needs.{area}.level"] = [_("Choose how much support is needed.")]
        notes = _text(
            values.get("notes"), field=f"needs.{area}.notes", required=False, limit=NOTES_MAX,
            errors=errors,
        )  # fmt: skip
        cleaned[area] = (level, notes)
    if errors:
        raise ValidationError(errors)
    plan = _locked_plan(case, version)
    created = plan is None
    if created:
        plan = CasePlan.objects.create(case=case, created_by=actor)
        Need.objects.bulk_create([Need(plan=plan, area=area) for area in NeedArea.values])
        audit_record(actor=actor, action="create", target=plan, details={"case": case.pk})
    existing = {need.area: need for need in plan.needs.all()}
    changed = []
    for area, (level, notes) in cleaned.items():
        need = existing.get(area) or Need(plan=plan, area=area)
        if need.pk is None or need.level != level or need.notes != notes:
            need.level, need.notes = level, notes
            need.save()
            changed.append(area)
    # A completed plan whose assessment now asks for a goal it lacks is a draft again.
    if plan.status == CasePlan.Status.COMPLETED and _missing_goals(plan):
        plan.status, plan.completed_at, plan.completed_by = CasePlan.Status.DRAFT, None, None
    if changed or created:
        _changed(actor=actor, plan=plan, what="assessment", details={"areas": sorted(changed)})
    return plan


def _plan_for_change(actor, case: Case, version: int | None) -> CasePlan:
    _require_writer(actor, case)
    plan = _locked_plan(case, version)
    if plan is None:
        raise WorkflowError(
            _("Assess the person's needs before planning goals."), code="plan_missing"
        )
    return plan


@transaction.atomic
def caseplan_goal_add(
    *,
    actor,
    case: Case,
    version: int | None,
    area: str,
    description: str,
    due_on: date | None,
    review_on: date | None = None,
    responsible=None,
    actions: list[str] | None = None,
) -> Goal:
    """Add a goal for one area of need, with its first actions (due with the goal)."""
    plan = _plan_for_change(actor, case, version)
    errors: dict[str, list[str]] = {}
    if area not in NeedArea.values:
        errors["area"] = [_("Unknown area of need.")]
    description = _text(
        description, field="description", required=True, limit=TEXT_MAX, errors=errors
    )
    _due(due_on, field="due_on", errors=errors)
    _due(review_on, field="review_on", errors=errors, required=False)
    if due_on and review_on and review_on > due_on:
        errors.setdefault("review_on", [_("Review the goal on or before its due date.")])
    person = _responsible(case, responsible, errors)
    steps = []
    for n, text in enumerate(actions or []):
        text = _text(text, field=f"actions.{n}", required=False, limit=TEXT_MAX, errors=errors)
        if text:
            steps.append(text)
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(
        plan=plan, area=area, description=description, due_on=due_on, review_on=review_on,
        responsible=person, created_by=actor,
    )  # fmt: skip
    Action.objects.bulk_create(
        [Action(goal=goal, description=t, due_on=due_on, responsible=person) for t in steps]
    )
    audit_record(actor=actor, action="create", target=goal, details={"case": case.pk})
    _changed(actor=actor, plan=plan, what="goal_added", details={"goal": goal.pk})
    return goal


@transaction.atomic
def caseplan_goal_set_status(
    *, actor, case: Case, version: int | None, goal_id: int, status: str
) -> Goal:
    """Mark a goal achieved or no longer pursued (or open again)."""
    plan = _plan_for_change(actor, case, version)
    goal = plan.goals.filter(pk=goal_id).first()
    if goal is None:
        raise ValidationError({"goal": [_("This goal is not in the case's plan.")]})
    if status not in Goal.Status.values:
        raise ValidationError({"status": [_("Choose open, achieved or no longer pursued.")]})
    if goal.status != status:
        goal.status = status
        goal.save(update_fields=["status"])
        if plan.status == CasePlan.Status.COMPLETED and _missing_goals(plan):
            plan.status, plan.completed_at, plan.completed_by = CasePlan.Status.DRAFT, None, None
        _changed(actor=actor, plan=plan, what="goal_status", details={"goal": goal.pk})
    return goal


@transaction.atomic
def caseplan_action_add(
    *,
    actor,
    case: Case,
    version: int | None,
    goal_id: int,
    description: str,
    due_on: date | None,
    responsible=None,
) -> Action:
    """Add a step to a goal of the plan."""
    plan = _plan_for_change(actor, case, version)
    errors: dict[str, list[str]] = {}
    goal = plan.goals.filter(pk=goal_id).first()
    if goal is None:
        errors["goal"] = [_("This goal is not in the case's plan.")]
    description = _text(
        description, field="description", required=True, limit=TEXT_MAX, errors=errors
    )
    _due(due_on, field="due_on", errors=errors)
    person = _responsible(case, responsible, errors)
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        goal=goal, description=description, due_on=due_on, responsible=person
    )
    _changed(actor=actor, plan=plan, what="action_added", details={"action": action.pk})
    return action


@transaction.atomic
def caseplan_action_done(*, actor, case: Case, version: int | None, action_id: int) -> Action:
    """Record an action as done today."""
    plan = _plan_for_change(actor, case, version)
    action = Action.objects.filter(pk=action_id, goal__plan=plan).first()
    if action is None:
        raise ValidationError({"action": [_("This action is not in the case's plan.")]})
    if action.done_on is None:
        action.done_on, action.done_by = timezone.localdate(), actor
        action.save(update_fields=["done_on", "done_by"])
        _changed(actor=actor, plan=plan, what="action_done", details={"action": action.pk})
    return action


def _missing_goals(plan: CasePlan) -> list[str]:
    """Areas assessed as needing support that have no goal being pursued or achieved."""
    covered = set(plan.goals.exclude(status=Goal.Status.DROPPED).values_list("area", flat=True))
    return [
        need.area
        for need in plan.needs.all()
        if need.level in LEVELS_NEEDING_GOALS and need.area not in covered
    ]


@transaction.atomic
def caseplan_complete(*, actor, case: Case, version: int | None) -> CasePlan:
    """Complete the plan: every area assessed, and a goal for every area that needs support."""
    plan = _plan_for_change(actor, case, version)
    errors: dict[str, list[str]] = {}
    labels = dict(NeedArea.choices)
    unassessed = [n.area for n in plan.needs.all() if n.level == NeedLevel.NOT_ASSESSED] + [
        a for a in NeedArea.values if a not in {n.area for n in plan.needs.all()}
    ]
    if unassessed:
        errors["needs"] = [
            _("Assess every area first: %(areas)s.")
            % {"areas": ", ".join(str(labels[a]) for a in unassessed)}
        ]
    missing = _missing_goals(plan)
    if missing:
        errors["goals"] = [
            _("Plan a goal for every area that needs support: %(areas)s.")
            % {"areas": ", ".join(str(labels[a]) for a in missing)}
        ]
    if errors:
        raise ValidationError(errors)
    if plan.status != CasePlan.Status.COMPLETED:
        plan.status = CasePlan.Status.COMPLETED
        plan.completed_at, plan.completed_by = timezone.now(), actor
        _changed(actor=actor, plan=plan, what="completed")
    return plan
