"""Celery's redelivery settings agree with its time limits (docs/operations.md)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def redelivery_check(app_configs=None, **kwargs):
    time_limit = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 0) or 0)
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    visibility = int(options.get("visibility_timeout", 3600))
    lease = int(getattr(settings, "CASEMGR_OUTBOX_LEASE_SECONDS", 0) or 0)
    found = []
    if time_limit and visibility <= time_limit:
        found.append(
            checks.Warning(
                "CELERY_BROKER_VISIBILITY_TIMEOUT should exceed CELERY_TASK_TIME_LIMIT: the "
                "broker would hand a task still running to a second worker.",
                id="core.W001",
            )
        )
    if time_limit and lease and lease <= time_limit:
        found.append(
            checks.Warning(
                "CASEMGR_OUTBOX_LEASE_SECONDS should exceed CELERY_TASK_TIME_LIMIT: an outbox "
                "message still being sent would be handed to a second worker.",
                id="core.W002",
            )
        )
    return found
