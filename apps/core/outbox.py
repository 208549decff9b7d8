"""The transactional outbox: every side effect is written with the change that causes it.

A service calls `outbox_enqueue(task, *args, key=...)` inside its transaction instead of
`transaction.on_commit(lambda: task.delay(...))`. The row commits (or rolls back) with the data,
so a side effect is never lost when the broker is down and never sent for a change that did not
happen. After the commit a nudge hands the message to Celery; if the broker does not answer the
request still succeeds and the message waits. Celery beat runs `outbox_dispatch` every minute,
which hands over every message that is due: new ones the nudge could not hand over, failed ones
whose back-off has passed, and ones handed over whose worker vanished (the lease ran out).

A worker runs `outbox_deliver`: it claims the message with a conditional UPDATE (so two copies
of the task never both run it), runs the task in-process, and marks the message sent. The
message's key is unique, and a sent message is never claimed again, so redelivery sends
nothing twice; the tasks keep their own per-recipient keys (RemovalNotification.key,
referrals' Notification.key) so that a message interrupted halfway resumes where it stopped.
With tasks run in-process (the embedded default) the nudge delivers at once, after the commit.
docs/operations.md, "Redis and Celery", tells the timings.
"""

import json
import logging
import uuid
from datetime import timedelta
from functools import partial

from celery import Task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
# Messages the dispatcher hands over once `next_attempt_at` has passed.
DUE = [Status.PENDING, Status.QUEUED, Status.SENDING]
# A publish tries twice at once and then gives up, so a request never waits on a dead broker;
# the beat task hands the message over later.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
BACKOFF_FIRST = 60
BACKOFF_MAX = 3600
DISPATCH_BATCH = 500


def lease_seconds() -> int:
    """How long a message handed to a worker is left alone before it is handed out again."""
    default = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360)) + 60
    return int(getattr(settings, "CASEMGR_OUTBOX_LEASE_SECONDS", None) or default)


def max_attempts() -> int:
    return int(getattr(settings, "CASEMGR_OUTBOX_MAX_ATTEMPTS", 12))


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(seconds=min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def error_summary(exc: BaseException) -> str:
    """The exception's class with its SMTP code or errno: its text may hold addresses or names."""
    kind = type(exc)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    return (f"{name} ({code})" if isinstance(code, int) else name)[:200]


def outbox_enqueue(task: Task, *args, key: str | None = None) -> OutboxMessage:
    """Write a message for `task(*args)` in the current transaction; handed over after commit.

    `key` names the side effect (one per referral event, per suspension...): a second message
    with a key already written is not added. Without a key every call adds a message."""
    if not isinstance(task, Task) or not task.name:
        raise TypeError(f"{task!r} is not a Celery task")
    # What Celery would carry as JSON: a value that does not survive the round trip fails here,
    # inside the caller's transaction, not later in a worker.
    arguments = json.loads(json.dumps(list(args)))
    message, created = OutboxMessage.objects.get_or_create(
        key=key or f"{task.name}:{uuid.uuid4().hex}",
        defaults={"task": task.name, "args": arguments, "next_attempt_at": timezone.now()},
    )
    if created:
        transaction.on_commit(partial(_nudge, message.pk))
    return message


def _nudge(message_id: int) -> None:
    # Runs after the commit, in the request: whatever happens here, the request has succeeded.
    try:
        _hand_over(message_id)
    except Exception as exc:  # noqa: BLE001 - the broker's errors vary by transport
        logger.warning(
            "outbox message %s waits for the dispatcher: %s", message_id, error_summary(exc)
        )


def _hand_over(message_id: int) -> bool:
    """Give one due message to Celery; False when it was not due (another dispatcher has it)."""
    from .tasks import outbox_deliver

    now = timezone.now()
    # Marked queued before the publish: with tasks run in-process the task runs inside
    # apply_async and must find the message queued.
    taken = OutboxMessage.objects.filter(
        pk=message_id, status__in=DUE, next_attempt_at__lte=now
    ).update(status=Status.QUEUED, next_attempt_at=now + timedelta(seconds=lease_seconds()))
    if not taken:
        return False
    try:
        outbox_deliver.apply_async((message_id,), retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:
        OutboxMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
            status=Status.PENDING, next_attempt_at=now
        )
        raise
    return True


def outbox_dispatch(*, limit: int = DISPATCH_BATCH) -> int:
    """Hand every due message to Celery, oldest first (beat, every minute); how many were."""
    due = OutboxMessage.objects.filter(status__in=DUE, next_attempt_at__lte=timezone.now())
    handed = 0
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        try:
            handed += _hand_over(pk)
        except Exception as exc:  # noqa: BLE001 - the broker's errors vary by transport
            # The broker is down: the rest would fail too, and the next run tries again.
            logger.warning("outbox dispatch stopped: %s", error_summary(exc))
            break
    return handed


def _task(name: str) -> Task:
    from celery import current_app

    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def outbox_deliver(*, message_id: int) -> bool:
    """Run one message's task unless it was sent or another worker is running it; True if sent."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(Q(status=Status.QUEUED) | Q(status__in=DUE, next_attempt_at__lte=now))
        .update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + timedelta(seconds=lease_seconds()),
        )
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        # In-process, so that the outbox, not Celery, owns retries: the task's own
        # autoretry re-raises when called directly.
        _task(message.task)(*message.args)
    except Exception as exc:  # noqa: BLE001 - any failure is retried with back-off
        _record_failure(message, exc)
        return False
    OutboxMessage.objects.filter(pk=message_id).exclude(status=Status.SENT).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox message %s (%s) sent", message_id, message.key)
    return True


def _record_failure(message: OutboxMessage, exc: BaseException) -> None:
    summary = error_summary(exc)
    if message.attempts >= max_attempts():
        status, due = Status.FAILED, timezone.now()
        logger.error(
            "outbox message %s (%s) failed for good after %s attempts: %s",
            message.pk, message.task, message.attempts, summary,
        )  # fmt: skip
    else:
        status, due = Status.PENDING, timezone.now() + backoff(message.attempts)
        logger.warning(
            "outbox message %s (%s) attempt %s failed, next at %s: %s",
            message.pk, message.task, message.attempts, due.isoformat(), summary,
        )  # fmt: skip
    OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status, next_attempt_at=due, last_error=summary
    )


@transaction.atomic
def outbox_retry(*, actor, message_ids: list[int]) -> int:
    """Send failed messages again, with a fresh count of attempts (administrators)."""
    from apps.audit.services import audit_record

    if not (actor.is_authenticated and actor.is_active and actor.role == "administrator"):
        raise PermissionDenied(_("Only administrators send messages again."))
    messages = list(
        OutboxMessage.objects.select_for_update().filter(pk__in=message_ids, status=Status.FAILED)
    )
    for message in messages:
        message.status, message.attempts = Status.PENDING, 0
        message.next_attempt_at, message.last_error = timezone.now(), ""
        message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        audit_record(
            actor=actor,
            action="update",
            target=message,
            details={"event": "outbox_retried", "task": message.task},
        )
        transaction.on_commit(partial(_nudge, message.pk))
    return len(messages)
