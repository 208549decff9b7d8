"""Housekeeping tasks."""

import logging

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="apps.core.tasks.heartbeat", ignore_result=False)
def heartbeat() -> dict:
    """Prove that a worker can reach the database; beat runs it to surface a dead worker early."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return {"database": value == 1, "vendor": connection.vendor}


@shared_task(
    name="apps.core.tasks.record_marker",
    bind=True,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def record_marker(self, marker: str) -> str:
    """Write a system audit entry naming `marker`; idempotent, so a redelivery adds nothing."""
    from apps.audit.services import audit_record_once

    audit_record_once(action="system", target_type="core.marker", target_id=marker)
    return marker


@shared_task(name="apps.core.tasks.outbox_deliver", acks_late=True, ignore_result=True)
def outbox_deliver(message_id: int) -> bool:
    """Run one outbox message (apps.core.outbox); a redelivered copy does nothing."""
    from .outbox import outbox_deliver as deliver

    return deliver(message_id=message_id)


@shared_task(name="apps.core.tasks.outbox_dispatch", acks_late=True, ignore_result=True)
def outbox_dispatch() -> int:
    """Hand every due outbox message to a worker (beat, every minute)."""
    from .outbox import outbox_dispatch as dispatch

    return dispatch()
