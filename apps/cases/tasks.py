"""Background work for cases."""

from celery import shared_task


@shared_task(
    name="apps.cases.tasks.cases_stay_recompute",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def cases_stay_recompute() -> int:
    """Recompute every case's legal stay after the stay rules changed (idempotent)."""
    from .services import case_stay_recompute_all

    return case_stay_recompute_all()
