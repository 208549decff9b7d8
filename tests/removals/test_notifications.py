"""Suspension notices: who gets them, in which language, once, and through a real worker."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from apps.removals.models import RemovalNotification
from apps.removals.services import removal_propose
from apps.removals.tasks import notify_suspension
from apps.screening.services import screening_create
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory
from tests.screening.patterns import POSSIBLE


@pytest.fixture
def region_ngos(db):
    """Two NGOs in Astana (one with a caseworker, one only with a contact address), one elsewhere."""
    with_staff = OrganizationFactory(name="Astana Shelter", kind="ngo", region="astana")
    UserFactory(username="focal", role="caseworker", organization=with_staff, language="kk",
                email="focal@shelter.example")  # fmt: skip
    OrganizationFactory(name="Astana Legal Aid", kind="ngo", region="astana",
                        email="contact@legalaid.example", languages=["ru"])  # fmt: skip
    far = OrganizationFactory(name="Omsk Aid", kind="ngo", region="ru_omsk")
    UserFactory(username="far", role="caseworker", organization=far, email="far@omsk.example")


def suspended_removal(inspectorate, inspector):
    case = CaseFactory(organization=inspectorate, created_by=inspector, region="astana")
    case.assigned_to.email = "assignee@example.org"
    case.assigned_to.language = "ru"
    case.assigned_to.save()
    screening_create(actor=inspector, case=case, answers=POSSIBLE, interview_language="ru")
    return removal_propose(actor=inspector, case=case, grounds="overstay")


@pytest.mark.django_db
def test_the_caseworker_and_the_regions_ngos_are_told_in_their_language(
    region_ngos, inspectorate, inspector, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        removal = suspended_removal(inspectorate, inspector)
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {
        "assignee@example.org", "focal@shelter.example", "contact@legalaid.example",
    }  # fmt: skip
    with translation.override("kk"):
        kk_word = translation.gettext(
            "Removal suspended for case %(reference)s: possible victim of trafficking"
        )
    assert recipients["focal@shelter.example"].subject.startswith(kk_word.split("%")[0].strip())
    for message in mail.outbox:
        assert removal.case.reference in message.subject
        assert removal.case.person.given_name not in message.body  # never the person's name
    assert RemovalNotification.objects.filter(removal=removal).count() == 3


@pytest.mark.django_db
def test_a_redelivered_task_sends_nothing_twice(
    region_ngos, inspectorate, inspector, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        removal = suspended_removal(inspectorate, inspector)
    sent = len(mail.outbox)
    assert notify_suspension.delay(removal.pk).get() == 0
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_nothing_is_sent_before_the_transaction_commits(region_ngos, inspectorate, inspector):
    with transaction.atomic():
        suspended_removal(inspectorate, inspector)
        assert mail.outbox == []


@pytest.mark.broker
def test_a_real_worker_sends_the_suspension_notice(celery_worker, inspectorate, inspector):
    removal = suspended_removal(inspectorate, inspector)  # committed: transactional db
    sent = celery_worker.wait_for(
        lambda: RemovalNotification.objects.filter(removal=removal).exists(), timeout=60
    )
    assert sent
    log = celery_worker.log.read_text()
    assert "Task apps.core.tasks.outbox_deliver" in log
    assert f"(removals.notify_suspension:{removal.pk}:" in log
    mails = celery_worker.wait_for(celery_worker.sent_mail, timeout=30)
    assert any(removal.case.reference in text for text in mails)
