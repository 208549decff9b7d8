"""The outbox (apps.core.outbox): side effects survive a broker that is down and a worker killed
while sending (issue 18 item 1)."""

import datetime
import io
import logging
import re
import smtplib
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_dispatch as dispatch_due
from apps.core.outbox import outbox_enqueue
from apps.core.tasks import outbox_deliver, outbox_dispatch, record_marker
from apps.referrals.models import Notification
from apps.removals.models import Removal, RemovalNotification
from apps.removals.notifications import suspension_recipients
from apps.removals.services import removal_propose
from apps.reports.models import ReportJob
from apps.screening.services import screening_create
from casemgr.celery import app
from tests import services
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, PersonFactory
from tests.referrals.factories import ServiceFactory
from tests.screening.patterns import NO_INDICATORS, POSSIBLE, PRESUMED, payload

BROKER_UNREACHABLE_LOG = "waits for the dispatcher"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Broker:
    """Takes this process's broker away (a Redis URL on a port nobody listens on: every publish
    fails with kombu's OperationalError, as when Redis is stopped) and brings it back."""

    def __init__(self):
        self._up: dict | None = None

    def down(self) -> None:
        url = f"redis://127.0.0.1:{closed_port()}/0"
        self._up = services.celery_use(broker_url=url, task_always_eager=False)

    def up(self) -> None:
        if self._up is not None:
            services.celery_use(**self._up)
            self._up = None


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    broker.up()


# --- the world the writes happen in ------------------------------------------------------


@dataclass
class World:
    caseworker_a: object
    caseworker_b: object
    inspector: object
    case_a: object
    shelter_b: object
    inspector_case: object


@pytest.fixture
def world(ngo_a, ngo_b, inspectorate, caseworker_a, caseworker_b, inspector):
    ngo_b.email = "intake@ngo-b.example.org"
    ngo_b.save()
    person = PersonFactory(given_name="Aziz", family_name="Karimov")
    case_a = CaseFactory(organization=ngo_a, created_by=caseworker_a, person=person)
    shelter_b = ServiceFactory(
        organization=ngo_b, service_type="shelter", regions=["almaty_city"], capacity=4
    )
    inspector_case = CaseFactory(
        organization=inspectorate, created_by=inspector, assigned_to=inspector
    )
    return World(caseworker_a, caseworker_b, inspector, case_a, shelter_b, inspector_case)


def _removal(world, case):
    return removal_propose(actor=world.inspector, case=case, grounds="overstay")


@dataclass
class Write:
    """A write that schedules an e-mail about an inspector's case: `prepare` runs with the
    broker up, `do` while it is down and answers through the API."""

    name: str
    task: str
    prepare: Callable
    do: Callable


def _send_referral(api, world, case):
    return api.as_user(world.caseworker_a).post(
        "/api/v1/referrals/",
        {
            "case": world.case_a.pk,
            "service": world.shelter_b.pk,
            "consent_given": True,
            "reason": "Evicted by the employer, needs a safe place tonight.",
            "urgency": "urgent",
        },
    )


def _flag_person(world, case):
    screening_create(actor=world.inspector, case=case, answers=POSSIBLE, interview_language="ru")


def _propose_removal(api, world, case):
    return api.as_user(world.inspector).post(
        "/api/v1/removals/", {"case": case.pk, "grounds": "overstay"}
    )


def _flagging_screening(api, world, case):
    return api.as_user(world.inspector).post(
        "/api/v1/screenings/", payload(case, PRESUMED), format="json"
    )


def _removal_of_a_case_moved_to_ngo_a(world, case):
    # The inspector screened the case (so still sees it) and proposed a removal; then the case
    # passed to NGO A, whose caseworker finds grounds.
    screening_create(
        actor=world.inspector, case=case, answers=NO_INDICATORS, interview_language="ru"
    )
    _removal(world, case)
    case.organization = world.caseworker_a.organization
    case.save()


def _raise_protection(api, world, case):
    return api.as_user(world.caseworker_a).post(
        "/api/v1/protection/grounds/",
        {
            "case": case.pk,
            "level": "presumed",
            "grounds": "The employer keeps the passport and the wages of three months.",
        },
        format="json",
    )


WRITES = [
    Write("referral send", "referrals.notify_referral", lambda world, case: None, _send_referral),
    Write("removal of a flagged person", "removals.notify_suspension", _flag_person,
          _propose_removal),
    Write("flagging screening", "removals.notify_suspension", _removal, _flagging_screening),
    Write("protection raised", "removals.notify_suspension", _removal_of_a_case_moved_to_ngo_a,
          _raise_protection),
]  # fmt: skip


def _inspector_case(world):
    return CaseFactory(
        organization=world.inspector.organization,
        created_by=world.inspector,
        assigned_to=world.inspector,
    )


# --- the broker is down during each write ------------------------------------------------


@pytest.mark.django_db(transaction=True)  # real commits: the nudge runs inside the request
@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_a_write_succeeds_while_the_broker_is_down_and_its_email_goes_out_when_it_returns(
    write, world, api, broker, caplog
):
    case = world.inspector_case
    write.prepare(world, case)
    mail.outbox.clear()
    broker.down()
    with caplog.at_level(logging.WARNING):
        response = write.do(api, world, case)
    assert response.status_code in (200, 201), response.content
    message = OutboxMessage.objects.get(task=write.task)
    assert (message.status, message.attempts, message.sent_at) == ("pending", 0, None)
    assert mail.outbox == []
    assert BROKER_UNREACHABLE_LOG in caplog.text
    assert "Karimov" not in caplog.text

    broker.up()
    # Beat's task, run in-process here: it hands the message to a worker, which sends it.
    assert outbox_dispatch.delay().get() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1
    assert mail.outbox, "the e-mail went out once the broker was back"
    sent = len(mail.outbox)
    # A redelivered copy and a later run of the dispatcher send nothing.
    assert outbox_deliver.delay(message.pk).get() is False
    assert outbox_dispatch.delay().get() == 0
    assert len(mail.outbox) == sent


@pytest.mark.django_db(transaction=True)
def test_a_report_job_asked_for_while_the_broker_is_down_runs_when_it_returns(
    client, administrator, broker
):
    client.force_login(administrator)
    broker.down()
    response = client.post(
        reverse("reports:job_create"),
        {"year_from": 2025, "year_to": 2025, "regions": [""], "language": "en"},
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{job.pk}/")
    assert job.status == "queued"
    assert OutboxMessage.objects.get().status == "pending"
    broker.up()
    assert outbox_dispatch.delay().get() == 1
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 1)


@pytest.mark.django_db
def test_with_tasks_in_process_the_email_goes_out_on_commit(
    world, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send_referral(api, world, None)
    assert response.status_code == 201
    [message] = OutboxMessage.objects.all()
    assert (message.task, message.status, message.attempts) == (
        "referrals.notify_referral",
        "sent",
        1,
    )
    assert message.key == f"referrals.notify_referral:{response.json()['id']}:sent"
    assert [m.to for m in mail.outbox] == [["intake@ngo-b.example.org"]]


@pytest.mark.django_db
def test_nothing_is_written_or_sent_for_a_change_that_rolls_back(
    world, django_capture_on_commit_callbacks
):
    _flag_person(world, world.inspector_case)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert _removal(world, world.inspector_case).status == "suspended"
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the rest of the request failed")
    assert not Removal.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_key_already_written_adds_no_second_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = outbox_enqueue(record_marker, "m", key="marker:m")
        again = outbox_enqueue(record_marker, "m", key="marker:m")
    assert first.pk == again.pk and len(callbacks) == 1
    assert OutboxMessage.objects.get().status == "sent"
    assert AuditEntry.objects.filter(target_id="m").count() == 1


@pytest.mark.django_db
def test_arguments_that_are_not_json_are_refused_in_the_callers_transaction():
    with pytest.raises(TypeError):
        outbox_enqueue(record_marker, object())
    with pytest.raises(TypeError):
        outbox_enqueue(lambda: None)
    assert not OutboxMessage.objects.exists()


# --- failures: back-off, no personal data, giving up, sending again ----------------------


class RefusingBackend(MemoryBackend):
    """An SMTP server that answers 451 and names the recipient in its answer."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"mailbox intake@ngo-b.example.org of Karimov is full")


@pytest.mark.django_db(transaction=True)  # real commits: the task runs inside the request
def test_a_failed_send_is_retried_with_back_off_and_records_no_personal_data(
    world, api, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with caplog.at_level(logging.WARNING):
        response = _send_referral(api, world, None)
    # With tasks in-process (the embedded default) the SMTP failure used to be a 500.
    assert response.status_code == 201
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "smtplib.SMTPDataError (451)"
    waited = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < waited <= datetime.timedelta(minutes=1)
    for text in (message.last_error, caplog.text):
        assert "Karimov" not in text and "intake@" not in text
    assert outbox_dispatch.delay().get() == 0, "not due before its back-off has passed"

    later = timezone.now() + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        assert outbox_dispatch.delay().get() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.next_attempt_at == later + datetime.timedelta(minutes=2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(later + datetime.timedelta(minutes=3), tick=False):
        assert outbox_dispatch.delay().get() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_without_beat_the_command_sends_what_is_due(
    world, api, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _send_referral(api, world, None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("outbox_dispatch", stdout=out)
    assert out.getvalue().strip() == "1 outbox message(s) handed over."
    assert OutboxMessage.objects.get().status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_fails_for_good_after_its_attempts_and_an_administrator_sends_it_again(
    world, api, client, administrator, settings, django_capture_on_commit_callbacks
):
    settings.CASEMGR_OUTBOX_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _send_referral(api, world, None)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        outbox_dispatch.delay()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 2)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert outbox_dispatch.delay().get() == 0, "a failed message waits for a person"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(administrator)
    url = "/admin/core/outboxmessage/"
    listing = client.get(url, {"status__exact": "failed"})
    assert listing.status_code == 200 and "referrals.notify_referral" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "send_again", "_selected_action": [message.pk]}, follow=True
        )
    assert "1 message will be sent again." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(target_type="core.outboxmessage", target_id=str(message.pk))
    assert entry.actor == administrator and entry.details["event"] == "outbox_retried"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["Исходящие сообщения", "не отправлено", "Отправить неотправленные"]),
        ("kk", ["Шығыс хабарлар", "жіберілмеді", "Жіберілмеген хабарларды"]),
    ],
)
def test_the_outbox_reads_in_the_administrators_language(
    client, administrator, settings, language, words
):
    message = outbox_enqueue(record_marker, "x", key="marker:x")
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    listing = client.get("/admin/core/outboxmessage/").content.decode()
    detail = client.get(f"/admin/core/outboxmessage/{message.pk}/change/").content.decode()
    for word in words:
        assert word in listing, word
    assert "ожидает отправки" in detail or "жіберуді күтуде" in detail


@pytest.mark.django_db
def test_a_message_whose_worker_vanished_is_handed_out_again_after_its_lease(world, settings):
    settings.CASEMGR_OUTBOX_LEASE_SECONDS = 420
    _flag_person(world, world.inspector_case)
    removal = _removal(world, world.inspector_case)  # no commit: the message is not handed over
    message = OutboxMessage.objects.get(task="removals.notify_suspension")
    # A worker claimed it and was killed before it finished.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sending",
        attempts=1,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=420),
    )
    assert outbox_dispatch.delay().get() == 0, "another worker may still be sending it"
    assert outbox_deliver.delay(message.pk).get() is False
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=421)):
        assert outbox_dispatch.delay().get() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert RemovalNotification.objects.filter(removal=removal).count() == len(mail.outbox) >= 1


def test_redelivery_is_set_to_minutes_and_the_dispatcher_runs_every_minute():
    conf = app.conf
    assert conf.task_acks_late is True and conf.task_reject_on_worker_lost is True
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_time_limit < visibility <= 15 * 60
    assert conf.broker_transport_options["unacked_restore_throttle"] == 1
    schedule = conf.beat_schedule["core-outbox-dispatch"]
    assert schedule["task"] == outbox_dispatch.name
    assert schedule["schedule"] == datetime.timedelta(minutes=1)


def test_a_visibility_timeout_shorter_than_a_task_is_reported(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
    settings.CASEMGR_OUTBOX_LEASE_SECONDS = 30
    found = {message.id for message in run_checks()}
    assert {"core.W001", "core.W002"} <= found


# --- a real worker and Redis -------------------------------------------------------------


@pytest.mark.broker
def test_emails_written_while_the_broker_was_down_are_sent_by_a_worker_when_it_returns(
    celery_worker, world, api, broker
):
    cases = [_inspector_case(world) for _write in WRITES]
    for write, case in zip(WRITES, cases, strict=True):
        write.prepare(world, case)  # with the broker up: the worker sends what they schedule
    celery_worker.wait_for(
        lambda: not OutboxMessage.objects.exclude(status="sent").exists(), timeout=60
    )
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    broker.down()
    for write, case in zip(WRITES, cases, strict=True):
        response = write.do(api, world, case)
        assert response.status_code in (200, 201), (write.name, response.content)
    waiting = OutboxMessage.objects.exclude(pk__in=before)
    assert sorted(waiting.values_list("task", "status")) == sorted(
        (write.task, "pending") for write in WRITES
    )
    mailed = len(celery_worker.sent_mail())

    broker.up()
    outbox_dispatch.delay()  # as beat does: the worker runs it and the messages it hands out
    celery_worker.wait_for(lambda: not waiting.exclude(status="sent").exists(), timeout=60)
    assert "Task apps.core.tasks.outbox_dispatch" in celery_worker.log.read_text()
    mails = celery_worker.wait_for(
        lambda: len(m := celery_worker.sent_mail()) > mailed and m, timeout=30
    )
    text = "\n".join(mails[mailed:])
    assert "intake@ngo-b.example.org" in text
    for case in cases[1:]:
        assert case.reference in text
        assert Removal.objects.get(case=case).status == "suspended"
    assert Notification.objects.filter(kind="sent", sent_at__isnull=False).count() == 1


class SMTP(socketserver.ThreadingTCPServer):
    """A small SMTP server that accepts every message but one: the `stall_on`-th message it
    receives gets no answer, as from a server that hangs, until the test lets it go."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stall_on: int):
        self.stall_on, self.received = stall_on, 0
        self.accepted: list[str] = []  # the recipients of each message accepted
        self.stalled, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), SMTPSession)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def close(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class SMTPSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server: SMTP = self.server
        recipients: list[str] = []
        self.reply("220 test ESMTP")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(re.search(r"<([^>]*)>", command).group(1))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                for line in self.rfile:
                    if line in {b".\r\n", b".\n"}:
                        break
                with server.lock:
                    server.received += 1
                    stall = server.received == server.stall_on
                if stall:
                    server.stalled.set()
                    server.release.wait()
                    return  # the connection drops without an answer: nothing was accepted
                with server.lock:
                    server.accepted += recipients
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.mark.broker
def test_a_worker_killed_while_sending_sends_each_email_exactly_once(
    celery_workers, world, settings
):
    # A suspension notice goes to the case's inspector and to the region's NGO caseworkers.
    astana = OrganizationFactory(name="Astana Shelter", kind="ngo", region="astana")
    UserFactory(username="focal", role="caseworker", organization=astana, email="focal@sh.example")
    case = world.inspector_case
    _flag_person(world, case)
    smtp = SMTP(stall_on=2)
    lease = 5
    settings.CASEMGR_OUTBOX_LEASE_SECONDS = lease
    sending = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "CASEMGR_OUTBOX_LEASE_SECONDS": str(lease),
    }
    try:
        first = celery_workers(**sending)
        removal = _removal(world, case)  # committed: the nudge hands the notice to the worker
        assert smtp.stalled.wait(60), first.log.read_text()[-4000:]
        assert len(smtp.accepted) == 1, "the first e-mail went out, the second is in flight"
        first.kill()
        claimed = OutboxMessage.objects.get(task="removals.notify_suspension")
        assert (claimed.status, claimed.attempts) == ("sending", 1)
        [task_id] = re.findall(r"outbox_deliver\[([0-9a-f-]+)\] received", first.log.read_text())

        # The broker hands the unacknowledged task out again after its visibility timeout, and
        # the dispatcher (beat's task, run here) hands the message out again after its lease.
        time.sleep(lease + 1)
        second = celery_workers(**sending, CELERY_BROKER_VISIBILITY_TIMEOUT=str(lease))
        second.wait_for(
            lambda: (
                dispatch_due() is not None
                and OutboxMessage.objects.filter(pk=claimed.pk, status="sent").exists()
            ),
            timeout=90,
            interval=1,
        )
        second.wait_for(
            lambda: f"outbox_deliver[{task_id}] succeeded" in second.log.read_text(), timeout=90
        )
    finally:
        smtp.close()
    expected = sorted(r.email for r in suspension_recipients(removal))
    assert len(expected) == 3 and "focal@sh.example" in expected
    assert sorted(smtp.accepted) == expected, "each e-mail exactly once"
    assert RemovalNotification.objects.filter(removal=removal).count() == 3
    assert OutboxMessage.objects.get(pk=claimed.pk).attempts == 2
