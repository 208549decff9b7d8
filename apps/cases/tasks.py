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


@shared_task(
    name="apps.cases.tasks.cases_anonymise_due",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def cases_anonymise_due() -> int:
    """Anonymise closed cases past the retention period (idempotent; beat runs it daily)."""
    from .retention import cases_anonymise_due as anonymise

    return anonymise()
