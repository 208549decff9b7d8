from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from apps.training.certification import add_months, certification_expiry
from apps.training.models import CertificationReminder
from apps.training.tasks import send_certification_reminders
from tests.training.factories import InspectorFactory, passed_session


def _expiring_in(inspector, days):
    """Give the inspector a certification that ends `days` from today."""
    until = timezone.localdate() + timedelta(days=days)
    held = add_months(until, -24)
    while certification_expiry(held) < until:
        held += timedelta(days=1)
    passed_session(inspector, held)
    return certification_expiry(held)


@pytest.mark.django_db
def test_an_inspector_is_reminded_once_30_days_before_expiry():
    due = InspectorFactory(username="due", language="en")
    until = _expiring_in(due, 30)
    later = InspectorFactory(username="later")
    _expiring_in(later, 31)
    expired = InspectorFactory(username="expired")
    _expiring_in(expired, -1)

    assert send_certification_reminders.delay().get() == 1
    assert send_certification_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [due.email]
    assert formats.date_format(until, "DATE_FORMAT") in message.subject
    assert CertificationReminder.objects.get().certified_until == until


@pytest.mark.django_db
def test_a_renewed_certification_gets_its_own_reminder_later():
    inspector = InspectorFactory()
    _expiring_in(inspector, 10)
    send_certification_reminders()
    _expiring_in(inspector, 20)  # renewed at a later session: a new certification
    assert send_certification_reminders() == 1
    assert CertificationReminder.objects.filter(inspector=inspector).count() == 2


@pytest.mark.django_db
def test_the_reminder_is_written_in_the_inspectors_language():
    inspector = InspectorFactory(language="kk")
    until = _expiring_in(inspector, 5)
    send_certification_reminders()
    with translation.override("kk"):
        expected = translation.gettext(
            "Your victim identification certification expires on %(date)s"
        ) % {"date": formats.date_format(until, "DATE_FORMAT")}
    assert mail.outbox[0].subject == expected


@pytest.mark.django_db
def test_the_reminder_window_is_a_setting(settings):
    settings.CASEMGR_CERTIFICATION_REMINDER_DAYS = 60
    _expiring_in(InspectorFactory(), 45)
    assert send_certification_reminders() == 1


@pytest.mark.django_db
def test_inspectors_without_an_email_or_deactivated_are_skipped():
    _expiring_in(InspectorFactory(email=""), 5)
    _expiring_in(InspectorFactory(is_active=False), 5)
    assert send_certification_reminders() == 0


@pytest.mark.broker
def test_the_reminder_goes_out_through_a_real_worker(celery_worker):
    inspector = InspectorFactory(username="worker.inspector", language="ru")
    _expiring_in(inspector, 20)
    send_certification_reminders.delay()
    celery_worker.wait_for(
        lambda: CertificationReminder.objects.filter(sent_at__isnull=False).exists(), timeout=60
    )
    sent = celery_worker.wait_for(celery_worker.sent_mail)
    assert len(sent) == 1 and "worker.inspector@example.org" in sent[0]
    assert "Task training.send_certification_reminders" in celery_worker.log.read_text()
