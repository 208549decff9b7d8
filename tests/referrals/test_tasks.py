import pytest

from apps.referrals import services
from apps.referrals.models import Notification

pytestmark = pytest.mark.broker


def test_a_real_worker_delivers_the_new_referral_email_through_the_broker(
    celery_worker, case_a, shelter_b, caseworker_a, ngo_b
):
    ngo_b.email = "intake@ngo-b.example.org"
    ngo_b.languages = ["ru"]
    ngo_b.save()
    # referral_send writes the e-mail to the outbox with the referral; it reaches the broker
    # only once the referral is committed, so the worker always finds it.
    referral = services.referral_send(
        actor=caseworker_a,
        case=case_a,
        service=shelter_b,
        consent_given=True,
        reason="Needs shelter tonight",
        urgency="urgent",
    )
    [message] = celery_worker.wait_for(celery_worker.sent_mail, timeout=60)
    assert "intake@ngo-b.example.org" in message
    assert f"/referrals/{referral.pk}/" in message
    assert "Karimov" not in message
    note = celery_worker.wait_for(
        lambda: Notification.objects.filter(
            key=f"referral-{referral.pk}-sent", sent_at__isnull=False
        ).first()
    )
    assert note.language == "ru"
    log = celery_worker.log.read_text()
    assert "Task apps.core.tasks.outbox_deliver" in log
    assert f"(referrals.notify_referral:{referral.pk}:sent) sent" in log
