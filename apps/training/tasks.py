"""Scheduled work of the training log."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="training.send_certification_reminders",
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_certification_reminders(self) -> int:
    """E-mail inspectors whose certification ends soon; a rerun sends nothing twice."""
    from .services import certification_reminders_send

    return certification_reminders_send()
