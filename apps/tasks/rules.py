"""The rules that turn a case's legal clocks into tasks, kept in step idempotently.

`sync_case_tasks(case)` computes the tasks the case's dates call for today and makes the stored
rule tasks match: a missing one is created, an open one moves its due date, and one whose cause
is resolved is closed as done with `completed_by` empty (cancelled instead when the case was
closed: the work will not be done). A task closed by a rule opens again if its cause returns; a
task a person completed opens again only if its due date changes (a new deadline is new work).
The services that change the dates call it in their transaction; beat calls it nightly for
every case in batches (`sync_all`), for the clocks that move by themselves. See docs/tasks.md.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record

from .models import FollowUp, Task

logger = logging.getLogger(__name__)


def lead_days() -> int:
    """How many days before a legal end date its task appears (CASEMGR_TASK_LEAD_DAYS, 14)."""
    return int(getattr(settings, "CASEMGR_TASK_LEAD_DAYS", 14))


def identification_days() -> int:
    """Days after reasonable grounds by which formal identification should have been requested
    (CASEMGR_TASK_IDENTIFICATION_DAYS, 14)."""
    return int(getattr(settings, "CASEMGR_TASK_IDENTIFICATION_DAYS", 14))


def batch_size() -> int:
    """Cases per transaction of the nightly sync (CASEMGR_TASK_SYNC_BATCH, 500)."""
    return int(getattr(settings, "CASEMGR_TASK_SYNC_BATCH", 500))


REFLECTION_REMINDERS = (7, 1)


@dataclass(frozen=True)
class Wanted:
    """A task a rule calls for: its key, kind, due date, parameters and first assignee."""

    key: str
    kind: str
    due_on: datetime.date
    params: dict = field(default_factory=dict)
    assigned_to_id: int | None = None
    follow_up_id: int | None = None


def _iso(day) -> str | None:
    return day.isoformat() if day else None


# --- the rules of one case --------------------------------------------------------------------


def _reflection(case, person, today) -> list[Wanted]:
    from apps.protection.services import FLAGGED_STATUSES

    until = person.reflection_until
    # A reminder that the period ends is moot once it has ended (what follows then is the
    # removal gate's and the identification's work, with tasks of their own).
    if until is None or person.protection_status not in FLAGGED_STATUSES or today > until:
        return []
    return [
        Wanted(
            key=f"{case.pk}:reflection:{days}",
            kind=Task.Kind.REFLECTION_ENDING,
            due_on=until - datetime.timedelta(days=days),
            params={"until": _iso(until), "days": days},
            assigned_to_id=case.assigned_to_id,
        )
        for days in REFLECTION_REMINDERS
        # Each reminder appears `lead_days` before its own day.
        if today >= until - datetime.timedelta(days=days + lead_days())
    ]


def _ending(case, today, *, name: str, until, kind: str) -> list[Wanted]:
    if until is None or today < until - datetime.timedelta(days=lead_days()):
        return []
    return [
        Wanted(
            key=f"{case.pk}:{name}",
            kind=kind,
            due_on=until,
            params={"until": _iso(until)},
            assigned_to_id=case.assigned_to_id,
        )
    ]


def _referrals(case, now) -> list[Wanted]:
    from apps.referrals.models import Referral
    from apps.referrals.services import escalation_hours

    cutoff = now - datetime.timedelta(hours=escalation_hours())
    wanted = []
    for referral_id, sent_at, sent_by_id in Referral.objects.filter(
        case=case, status=Referral.Status.SENT, sent_at__lte=cutoff
    ).values_list("pk", "sent_at", "sent_by_id"):
        due = timezone.localdate(sent_at + datetime.timedelta(hours=escalation_hours()))
        wanted.append(
            Wanted(
                key=f"{case.pk}:referral:{referral_id}",
                kind=Task.Kind.REFERRAL_UNANSWERED,
                due_on=due,
                params={"referral": referral_id, "since": _iso(timezone.localdate(sent_at))},
                assigned_to_id=case.assigned_to_id or sent_by_id,
            )
        )
    return wanted


def _removals(case, today) -> list[Wanted]:
    from apps.removals.models import Removal
    from apps.removals.services import screening_validity_days
    from apps.screening.selectors import latest_valid_screening

    pending = list(
        Removal.objects.filter(case=case, status=Removal.Status.PENDING).values_list(
            "pk", "proposed_on", "proposed_by_id"
        )
    )
    if not pending:
        return []
    latest = latest_valid_screening(case)
    valid_until = (
        timezone.localdate(latest.completed_at) + datetime.timedelta(days=screening_validity_days())
        if latest is not None and latest.completed_at
        else None
    )
    # A decision needs a screening still valid on the day it is taken: the task appears when
    # there is none, or when the one there is stops counting within the lead time.
    if valid_until is not None and today < valid_until - datetime.timedelta(days=lead_days()):
        return []
    return [
        Wanted(
            key=f"{case.pk}:removal:{removal_id}",
            kind=Task.Kind.REMOVAL_SCREENING,
            due_on=valid_until or proposed_on,
            params={"removal": removal_id, "screening_until": _iso(valid_until)},
            assigned_to_id=proposed_by_id,
        )
        for removal_id, proposed_on, proposed_by_id in pending
    ]


def _identification(case, person, today) -> list[Wanted]:
    from apps.cases.models import VictimStatus
    from apps.protection.models import Identification

    grounds_on = person.grounds_on
    if grounds_on is None or person.protection_status not in {
        VictimStatus.POSSIBLE,
        VictimStatus.PRESUMED,
    }:
        return []
    due = grounds_on + datetime.timedelta(days=identification_days())
    if today < due or Identification.objects.filter(person_id=person.pk).exists():
        return []
    return [
        Wanted(
            key=f"{case.pk}:identification",
            kind=Task.Kind.IDENTIFICATION_DUE,
            due_on=due,
            params={"grounds_on": _iso(grounds_on)},
            assigned_to_id=case.assigned_to_id,
        )
    ]


def _follow_ups(case) -> list[Wanted]:
    return [
        Wanted(
            key=f"{case.pk}:followup:{pk}",
            kind=Task.Kind.FOLLOW_UP,
            due_on=planned_on,
            params={"follow_up": pk, "follow_up_kind": kind},
            assigned_to_id=assigned_to_id or case.assigned_to_id,
            follow_up_id=pk,
        )
        for pk, planned_on, kind, assigned_to_id in FollowUp.objects.filter(
            case=case, status=FollowUp.Status.PLANNED
        ).values_list("pk", "planned_on", "kind", "assigned_to_id")
    ]


def wanted_for_case(case, *, now=None) -> list[Wanted]:
    """Every rule task the case calls for at `now` (none for a closed case)."""
    if case.status != "open":
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    person = case.person
    return [
        *_reflection(case, person, today),
        *_ending(case, today, name="stay", until=case.legal_stay_until, kind=Task.Kind.STAY_ENDING),
        *_ending(
            case,
            today,
            name="permit",
            until=case.permit_valid_until,
            kind=Task.Kind.PERMIT_ENDING,
        ),
        *_referrals(case, now),
        *_removals(case, today),
        *_identification(case, person, today),
        *_follow_ups(case),
    ]


# --- keeping the stored tasks in step ---------------------------------------------------------


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    reopened: int = 0
    closed: int = 0

    def __bool__(self) -> bool:
        return bool(self.created or self.moved or self.reopened or self.closed)

    def add(self, other: "SyncResult") -> None:
        self.created += other.created
        self.moved += other.moved
        self.reopened += other.reopened
        self.closed += other.closed


def _apply(
    existing: dict[str, Task],
    wanted: list[Wanted],
    *,
    organization_id,
    case=None,
    subject_user_id=None,
    closing_status: str = Task.Status.DONE,
) -> SyncResult:
    result = SyncResult()
    now = timezone.now()
    seen = set()
    for item in wanted:
        seen.add(item.key)
        task = existing.get(item.key)
        if task is None:
            Task.objects.create(
                organization_id=organization_id,
                case=case,
                subject_user_id=subject_user_id,
                kind=item.kind,
                params=item.params,
                due_on=item.due_on,
                assigned_to_id=item.assigned_to_id,
                source=Task.Source.RULE,
                rule_key=item.key,
                follow_up_id=item.follow_up_id,
            )
            result.created += 1
            continue
        fields = []
        if task.status != Task.Status.OPEN:
            closed_by_rule = task.completed_by_id is None
            if not (closed_by_rule or task.due_on != item.due_on):
                continue
            task.status = Task.Status.OPEN
            task.completed_at = None
            task.completed_by = None
            fields += ["status", "completed_at", "completed_by"]
            result.reopened += 1
        elif task.due_on != item.due_on:
            result.moved += 1
        if task.due_on != item.due_on:
            task.due_on = item.due_on
            fields.append("due_on")
        if task.params != item.params:
            task.params = item.params
            fields.append("params")
        if fields:
            task.save_versioned(update_fields=[*fields, "updated_at"])
    for key, task in existing.items():
        if key in seen or task.status != Task.Status.OPEN:
            continue
        task.status = closing_status
        task.completed_at = now
        task.completed_by = None
        task.save_versioned(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        result.closed += 1
    return result


def _audit(result: SyncResult, **details) -> None:
    # One system entry per change of a case's tasks: the counts, never the tasks' contents.
    if result:
        audit_record(
            actor=None,
            action="system",
            target_type="tasks.task",
            details={
                "event": "tasks_synced",
                "created": result.created,
                "moved": result.moved,
                "reopened": result.reopened,
                "closed": result.closed,
                **details,
            },
        )


@transaction.atomic
def sync_case_tasks(case, *, now=None) -> SyncResult:
    """Make the case's rule tasks match what its dates call for now; idempotent."""
    from apps.cases.models import Case

    case = Case.objects.select_related("person").get(pk=case.pk)
    existing = {
        task.rule_key: task
        for task in Task.objects.select_for_update().filter(case=case, source=Task.Source.RULE)
    }
    result = _apply(
        existing,
        wanted_for_case(case, now=now),
        organization_id=case.organization_id,
        case=case,
        closing_status=Task.Status.DONE if case.status == "open" else Task.Status.CANCELLED,
    )
    _audit(result, case=case.pk)
    return result


def sync_person_cases(person_id: int, *, now=None) -> None:
    """Every case of a person (the protection status and its clocks are the person's)."""
    from apps.cases.models import Case

    for case in Case.objects.filter(person_id=person_id).only("pk"):
        sync_case_tasks(case, now=now)


@transaction.atomic
def sync_certification_tasks(inspector, *, now=None) -> SyncResult:
    """The inspector's certification task, for them and for their organisation's
    administrators, while the certification ends within the reminder window."""
    from apps.accounts.models import User
    from apps.training.certification import reminder_days
    from apps.training.selectors import certified_until

    today = timezone.localdate(now or timezone.now())
    prefix = f"cert:{inspector.pk}:"
    existing = {
        task.rule_key: task
        for task in Task.objects.select_for_update().filter(rule_key__startswith=prefix)
    }
    wanted = []
    until = certified_until(inspector, today) if inspector.role == "inspector" else None
    if (
        until is not None
        and inspector.is_active
        and inspector.organization_id
        and today >= until - datetime.timedelta(days=reminder_days())
    ):
        recipients = [
            inspector.pk,
            *User.objects.filter(
                role="administrator", is_active=True, organization_id=inspector.organization_id
            ).values_list("pk", flat=True),
        ]
        wanted = [
            Wanted(
                key=f"{prefix}{recipient}",
                kind=Task.Kind.CERTIFICATION_ENDING,
                due_on=until,
                params={"inspector": inspector.pk, "until": _iso(until)},
                assigned_to_id=recipient,
            )
            for recipient in recipients
        ]
    if not (wanted or existing) or inspector.organization_id is None:
        return SyncResult()
    result = _apply(
        existing,
        wanted,
        organization_id=inspector.organization_id,
        subject_user_id=inspector.pk,
    )
    _audit(result, inspector=inspector.pk)
    return result


def sync_all(*, now=None) -> SyncResult:
    """Every open case, and every case with an open rule task, in batches of their own
    transaction; then every inspector's certification (run nightly by beat)."""
    from apps.accounts.models import User
    from apps.cases.models import Case

    total = SyncResult()
    last = 0
    size = batch_size()
    while True:
        ids = list(
            Case.objects.filter(pk__gt=last, status="open")
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            break
        with transaction.atomic():
            for case in Case.objects.filter(pk__in=ids).only("pk"):
                total.add(sync_case_tasks(case, now=now))
        last = ids[-1]
    # Closed cases whose tasks are still open (closed outside the services, say).
    stale = (
        Task.objects.filter(status=Task.Status.OPEN, source=Task.Source.RULE)
        .exclude(case__status="open")
        .exclude(case__isnull=True)
        .values_list("case_id", flat=True)
        .distinct()
    )
    for case in Case.objects.filter(pk__in=list(stale)).only("pk"):
        total.add(sync_case_tasks(case, now=now))
    inspectors = User.objects.filter(role="inspector").only(
        "pk", "role", "is_active", "organization_id"
    )
    for inspector in inspectors.iterator():
        total.add(sync_certification_tasks(inspector, now=now))
    logger.info(
        "tasks synced: %s created, %s moved, %s reopened, %s closed",
        total.created,
        total.moved,
        total.reopened,
        total.closed,
    )
    return total
