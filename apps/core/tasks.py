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
