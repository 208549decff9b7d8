"""Celery tasks of the removals app."""

import hashlib
import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError

from .models import Removal, RemovalNotification
from .notifications import (
    protection_message,
    protection_recipients,
    suspension_message,
    suspension_recipients,
)

logger = logging.getLogger(__name__)


RETRIED = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (SMTPException, ConnectionError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


def _send_once(removal: Removal, recipient, *, kind: str, message) -> bool:
    """Send one e-mail about the removal unless it was sent: one key per kind, suspension and
    address, so a redelivered or retried task skips those done. `message(language)` gives the
    subject and body."""
    address = hashlib.sha256(recipient.email.lower().encode()).hexdigest()[:24]
    key = f"{kind}:{removal.suspended_at.isoformat()}:{address}"
    if RemovalNotification.objects.filter(key=key).exists():
        return False
    subject, body = message(recipient.language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    try:
        RemovalNotification.objects.create(
            removal=removal, key=key, recipient=recipient.email, language=recipient.language
        )
    except IntegrityError:
        logger.info("notification %s was recorded by a concurrent run", key)
    return True


@shared_task(name="removals.notify_suspension", **RETRIED)
def notify_suspension(self, removal_id: int) -> int:
    """E-mail the caseworker and the region's NGO focal points that a removal is suspended."""
    removal = (
        Removal.objects.select_related("case", "case__assigned_to").filter(pk=removal_id).first()
    )
    if removal is None or removal.suspended_at is None:
        return 0
    return sum(
        _send_once(
            removal,
            recipient,
            kind=f"suspension:{removal.pk}",
            message=lambda language: suspension_message(removal, language=language),
        )
        for recipient in suspension_recipients(removal)
    )


@shared_task(name="removals.notify_protection_elsewhere", **RETRIED)
def notify_protection_elsewhere(self, removal_id: int, flagged_case_ids: list[int]) -> int:
    """E-mail the flagging organisations' caseworkers that a removal of their person, proposed
    elsewhere, is suspended (issue 15: protection follows the person)."""
    from apps.cases.models import Case

    removal = Removal.objects.select_related("case").filter(pk=removal_id).first()
    if removal is None or removal.suspended_at is None:
        return 0
    sent = 0
    for case in Case.objects.select_related("assigned_to").filter(pk__in=flagged_case_ids):
        for recipient in protection_recipients([case]):
            sent += _send_once(
                removal,
                recipient,
                kind=f"protection:{removal.pk}:{case.pk}",
                message=lambda language, c=case: protection_message(removal, c, language=language),
            )
    return sent
