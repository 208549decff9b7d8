"""Referral e-mails and escalation; thin, idempotent, retried on transient failures."""

import smtplib

from celery import shared_task
from django.db import OperationalError

from . import services

RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OSError, smtplib.SMTPException, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(name="referrals.notify_referral", **RETRY)
def notify_referral(self, referral_id: int, kind: str) -> int:
    """E-mail those a referral event concerns ("sent", "accepted", "declined", "completed",
    "escalated"); a redelivered task sends nothing twice."""
    return services.notification_send(referral_id=referral_id, kind=kind)


@shared_task(name="referrals.escalate_overdue", **RETRY)
def escalate_overdue(self) -> int:
    """Escalate referrals nobody accepted in time (run by Celery beat)."""
    return services.referrals_escalate_overdue()
