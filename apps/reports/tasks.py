from celery import shared_task

from . import services


@shared_task(
    name="reports.generate_reports",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
)
def generate_reports(job_id: int) -> int:
    """Build a report job's reports; idempotent (a finished job is left alone)."""
    job = services.report_job_run(job_id=job_id)
    return job.done


@shared_task(name="reports.refresh_history", acks_late=True)
def refresh_history() -> int:
    """Nightly: the earlier years of every report computed and kept (history.py)."""
    return services.report_history_refresh()
