"""The nightly sync of the rule tasks; thin and idempotent (a redelivery syncs to the same)."""

from celery import shared_task

from . import rules


@shared_task(name="tasks.sync_all", acks_late=True, time_limit=3 * 3600, soft_time_limit=3 * 3500)
def sync_all() -> int:
    """Keep every case's rule tasks in step with the clocks that move by themselves."""
    result = rules.sync_all()
    return result.created + result.moved + result.reopened + result.closed
