import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from tests import services
from tests.accounts.factories import OrganizationFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    # Translations are compiled from the catalogues so that a test never reads a stale .mo file.
    for po in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and os.environ.get("DATABASE_URL", "").split(":")[
        0
    ] not in {"postgres", "postgresql", "pgsql"}:
        services.unavailable("this test needs PostgreSQL (DATABASE_URL)")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request's language must not leak onwards."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path):
    """Each test keeps its audit checkpoints to itself: its database starts empty too."""
    settings.CASEMGR_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test has a cache of its own (a key prefix of its own, so that tests in parallel can
    share one Redis): no throttle or rate limit carries over from another test."""
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


# Personas: the same small cast in every permission test.
@pytest.fixture
def ngo_a(db):
    return OrganizationFactory(name="NGO A", kind="ngo", region="astana")


@pytest.fixture
def ngo_b(db):
    return OrganizationFactory(name="NGO B", kind="ngo", region="almaty_city")


@pytest.fixture
def inspectorate(db):
    return OrganizationFactory(
        name="Labour Inspectorate", kind="labour_inspectorate", region="astana"
    )


@pytest.fixture
def caseworker_a(ngo_a):
    return UserFactory(username="caseworker_a", role="caseworker", organization=ngo_a)


@pytest.fixture
def caseworker_b(ngo_b):
    return UserFactory(username="caseworker_b", role="caseworker", organization=ngo_b)


@pytest.fixture
def inspector(inspectorate):
    return UserFactory(username="inspector", role="inspector", organization=inspectorate)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role="administrator", organization=None)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role="auditor", organization=None)


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=user)
            return self

    return Client()


def _database_url_for_worker() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class Worker:
    def __init__(self, process, queue: str, mail_dir: Path, log: Path):
        self.process, self.queue, self.mail_dir, self.log = process, queue, mail_dir, log

    def wait_for(self, predicate, *, timeout: float = 30.0, interval: float = 0.2):
        """Poll until `predicate()` is truthy or the worker dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()[-4000:]}")
            time.sleep(interval)
        raise AssertionError(f"timed out waiting for the worker:\n{self.log.read_text()[-4000:]}")

    def sent_mail(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"))]

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost host would: nothing is acknowledged."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def celery_workers(transactional_db, tmp_path):
    """Start real `celery worker` processes consuming from the Redis broker, on the test
    database, all on one queue: `start(**environment)` starts one more and returns it."""
    url = services.broker_url()
    if url is None:
        services.unavailable("this test needs a Redis broker (CELERY_BROKER_URL)")

    # A queue of its own, so parallel test processes never take each other's tasks; the
    # workers publish to it too (tasks that schedule tasks).
    queue = f"casemgr-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    started: list[Worker] = []

    def start(**environment: str) -> Worker:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "casemgr.settings.test",
            "DATABASE_URL": _database_url_for_worker(),
            "CELERY_BROKER_URL": url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            **environment,
        }
        with log.open("w") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "casemgr", "worker", "-Q", queue,
                 "--pool", "solo", "-n", f"{queue}-{len(started) + 1}@%h", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-l", "info"],
                cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            )  # fmt: skip
        started.append(Worker(process, queue, mail_dir, log))
        return started[-1]

    previous = services.celery_use(
        task_always_eager=False, task_default_queue=queue, broker_url=url
    )
    try:
        yield start
    finally:
        services.celery_use(**previous)
        for worker in started:
            worker.stop()


@pytest.fixture
def celery_worker(celery_workers):
    """A real `celery worker` process consuming from the Redis broker, on the test database."""
    return celery_workers()


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's chromium, pointed at the live test server."""
    path = services.chromium_path()
    if path is None:
        services.unavailable("this test needs Debian's chromium (/usr/bin/chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous and safe.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
