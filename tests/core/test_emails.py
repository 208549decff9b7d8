"""Every e-mail casemgr sends links to the page it is about with an absolute address."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test.signals import template_rendered
from django.urls import resolve

from apps.referrals import services as referrals
from apps.removals.services import removal_propose
from apps.screening.services import screening_create
from apps.training.tasks import send_certification_reminders
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, PersonFactory
from tests.referrals.conftest import case_a, send, shelter_b  # noqa: F401
from tests.screening.patterns import POSSIBLE
from tests.training.factories import InspectorFactory
from tests.training.test_tasks import _expiring_in

SITE = "https://casemgr.example.org"
LINK = re.compile(r"\b\w+://\S+")


@pytest.fixture
def site(settings):
    settings.CASEMGR_SITE_URL = SITE + "/"  # a trailing slash must not double the separator


@pytest.fixture
def rendered():
    """Names of the e-mail templates rendered during the test."""
    names: set[str] = set()

    def record(sender, template, context, **kwargs):
        if template.name and "/email/" in template.name:
            names.add(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _assert_links_to(message, view_name: str, **kwargs) -> None:
    links = _links(message)
    assert links, f"{message.subject!r} has no link"
    for link in links:
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}" == SITE, link
        assert "//" not in parts.path, link
        match = resolve(parts.path)
        assert match.view_name == view_name, link
        assert match.kwargs == kwargs, link


@pytest.mark.django_db
def test_every_email_links_to_its_page_under_the_site_address(
    site,
    rendered,
    send,  # noqa: F811
    caseworker_a,
    caseworker_b,
    ngo_b,
    inspectorate,
    inspector,
    django_capture_on_commit_callbacks,
):
    ngo_b.email = "intake@ngo-b.example.org"
    ngo_b.save()
    UserFactory(username="admin_mail", role="administrator", email="admin@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        accepted = send()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_accept(actor=caseworker_b, referral=accepted)
    accepted.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_complete(actor=caseworker_b, referral=accepted, outcome="Sheltered.")
    with django_capture_on_commit_callbacks(execute=True):
        declined = send()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_decline(actor=caseworker_b, referral=declined, reason="Full")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = send()
    with django_capture_on_commit_callbacks(execute=True):
        assert referrals.referral_escalate(referral_id=waiting.pk)
    referral_mail = list(mail.outbox)
    assert len(referral_mail) == 7  # three sent, accepted, completed, declined, escalated
    about = [accepted] * 3 + [declined] * 2 + [waiting] * 2  # in the order they were sent
    for message, referral in zip(referral_mail, about, strict=True):
        _assert_links_to(message, "referrals:detail", pk=referral.pk)

    mail.outbox.clear()
    case = CaseFactory(organization=inspectorate, created_by=inspector, region="astana")
    case.assigned_to.email = "assignee@example.org"
    case.assigned_to.save()
    with django_capture_on_commit_callbacks(execute=True):
        screening_create(actor=inspector, case=case, answers=POSSIBLE, interview_language="ru")
        removal = removal_propose(actor=inspector, case=case, grounds="overstay")
    assert mail.outbox
    for message in mail.outbox:
        _assert_links_to(message, "removals:detail", pk=removal.pk)

    # The same person, flagged above, in another inspectorate's case written in Cyrillic: the
    # flagging organisation is told about its own case.
    mail.outbox.clear()
    other = OrganizationFactory(name="Other inspectorate", kind="labour_inspectorate")
    other_inspector = InspectorFactory(username="other_inspector", organization=other)
    person = case.person
    namesake = CaseFactory(
        organization=other,
        person=PersonFactory(
            given_name=person.given_name, family_name=person.family_name,
            date_of_birth=person.date_of_birth, sex=person.sex, citizenship=person.citizenship,
        ),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere = removal_propose(actor=other_inspector, case=namesake, grounds="overstay")
    assert elsewhere.protection_elsewhere
    told = [m for m in mail.outbox if "assignee@example.org" in m.to]
    assert told
    _assert_links_to(told[-1], "cases:detail", case_id=case.pk)

    mail.outbox.clear()
    _expiring_in(InspectorFactory(username="due", language="kk"), 30)
    assert send_certification_reminders() == 1
    _assert_links_to(mail.outbox[0], "training:mine")

    templates = Path(django_settings.BASE_DIR, "templates")
    bodies = {str(p.relative_to(templates)) for p in templates.glob("*/email/*_body.txt")}
    assert bodies <= rendered, f"e-mails this test does not send: {sorted(bodies - rendered)}"


def test_an_embedded_set_up_links_to_the_local_server(settings):
    from apps.core.links import absolute_url

    settings.CASEMGR_SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("training:mine") == "http://127.0.0.1:8000/training/mine/"
