"""No personal data in logs (issue 18 item 4): a search for names and passport numbers, on the
pages and the API, leaves them in no log record, no audit entry and no database dump."""

import io
import json
import logging
import re
import shlex
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.audit.models import AuditEntry
from apps.core.crypto import search_hash
from apps.core.log_filters import QueryStringFilter, without_query_strings
from tests.cases.factories import CaseFactory, IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A known person (found by the searches) and one nobody holds (searched in vain).
FAMILY, GIVEN, PASSPORT = "Karimbekov", "Azamatjon", "FA7654321"
UNKNOWN_FAMILY, UNKNOWN_PASSPORT = "Nurmagambetova", "QX0987612"
SECRETS = [FAMILY, GIVEN, PASSPORT, UNKNOWN_FAMILY, UNKNOWN_PASSPORT]
SEARCHES = [
    FAMILY,
    f"{GIVEN} {FAMILY}",
    PASSPORT,
    "fa 765-4321",  # the same passport as typed from the paper
    UNKNOWN_FAMILY,
    UNKNOWN_PASSPORT,
]


def _leaks(text: str) -> list[str]:
    plain = re.sub(r"[\s\-]", "", text).casefold()
    return [s for s in SECRETS if s.casefold() in text.casefold() or s.casefold() in plain]


@pytest.fixture
def known_case(caseworker_a):
    case = CaseFactory(
        organization=caseworker_a.organization,
        created_by=caseworker_a,
        person=PersonFactory(given_name=GIVEN, family_name=FAMILY),
    )
    IdentityDocumentFactory(case=case, number=PASSPORT)
    return case


@pytest.fixture
def every_logger_at_debug(caplog):
    """caplog at DEBUG for the root logger and every logger there is."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _person(prefix: str, family: str, given: str) -> dict:
    return {
        f"{prefix}family_name": family,
        f"{prefix}given_name": given,
        f"{prefix}sex": "male",
        f"{prefix}citizenship": "UZ",
    }


def test_searches_for_names_and_passports_leave_no_trace_in_logs_audit_or_dump(
    client, api, caseworker_a, inspector, administrator, known_case, every_logger_at_debug
):
    caplog = every_logger_at_debug
    client.force_login(caseworker_a)
    worker = api.as_user(caseworker_a)
    admin = api.as_user(administrator)
    for q in SEARCHES:
        # The case list, on the page (with and without HTMX) and in the API, for an
        # organisation's caseworker and for a national reader.
        assert client.get("/cases/", {"q": q}).status_code == 200
        assert (
            client.get("/cases/", {"q": q, "status": "open"}, HTTP_HX_REQUEST="true").status_code
            == 200
        )
        assert worker.get("/api/v1/cases/", {"q": q, "citizenship": q}).status_code == 200
        assert admin.get("/api/v1/cases/", {"q": q}).status_code == 200
        # Other searches: the training pages and API (inspectors, sessions), the admin's lists.
        assert admin.get("/api/v1/inspectors/", {"q": q}).status_code == 200
        assert admin.get("/api/v1/training-sessions/", {"q": q}).status_code in (200, 400)
        # Bad input too: a 400 logs its path, never its query.
        assert worker.get("/api/v1/cases/", {"q": q, "status": "nonsense"}).status_code == 400
    # The duplicate check, in the API and on the opening form, for known and unknown people.
    for family, number in [(FAMILY, PASSPORT), (UNKNOWN_FAMILY, UNKNOWN_PASSPORT)]:
        answer = worker.post(
            "/api/v1/cases/duplicates/",
            {**_person("", family, GIVEN), "document_numbers": [number]},
            format="json",
        )
        assert answer.status_code == 200
        page = client.post(
            "/cases/new/duplicates/",
            {**_person("person-", family, GIVEN), "document-kind": "passport",
             "document-number": number, "document-held_by": "self"},
        )  # fmt: skip
        assert page.status_code == 200
    client.force_login(administrator)
    for q in SEARCHES:
        assert client.get("/admin/removals/removal/", {"q": q}).status_code == 200
        assert client.get("/training/inspectors/", {"q": q}).status_code == 200
        assert client.get("/training/sessions/", {"q": q}).status_code == 200

    # Every log record captured, formatted and as raw parts.
    for record in caplog.records:
        text = " ".join(
            str(part)
            for part in (record.getMessage(), record.msg, record.args, record.exc_text or "")
        )
        assert not _leaks(text), (record.name, text)
    assert not _leaks(caplog.text)

    # The audit log: the case list's reads keep counts and a keyed hash of the search.
    entries = list(AuditEntry.objects.values())
    assert not _leaks(json.dumps(entries, default=str, ensure_ascii=False))
    lists = AuditEntry.objects.filter(
        actor=caseworker_a, target_type="cases.case", details__has_key="search"
    ).order_by("id")
    found = {e.details["search"]["hash"]: e.details["count"] for e in lists}
    assert found[search_hash(FAMILY)] == 1
    assert found[search_hash(PASSPORT)] == 1
    assert found[search_hash(UNKNOWN_FAMILY)] == 0
    assert any(e.details.get("list") == [known_case.pk] for e in lists)
    # A citizenship that is not a country code is not kept either.
    assert {e.details["filters"].get("citizenship") for e in lists} <= {None, "?"}
    duplicate_checks = AuditEntry.objects.filter(details__duplicate_check=True)
    assert duplicate_checks.count() == 4

    # A database dump holds the person's names and number encrypted, like the database.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert not _leaks(dump.getvalue())
    assert str(known_case.reference) in dump.getvalue()  # the dump is real


def test_a_search_in_the_case_list_keeps_only_its_filters_and_the_hash_of_its_words(
    api, caseworker_a, known_case
):
    api.as_user(caseworker_a).get(
        "/api/v1/cases/", {"q": f"{FAMILY}  {GIVEN}", "status": "open", "surname": FAMILY}
    )
    entry = AuditEntry.objects.filter(target_type="cases.case", action="read").latest("id")
    assert entry.details == {
        "list": [known_case.pk],
        "count": 1,
        "filters": {"status": "open"},  # unknown parameters are not kept
        "search": {"hash": search_hash(f"{FAMILY} {GIVEN}"), "words": 2},
    }


# The query strings of logged URLs.
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /cases/?q=Karimbekov HTTP/1.1" 200 5120', '"GET /cases/ HTTP/1.1" 200 5120'),
        (
            "Bad Request: /api/v1/cases/?q=FA%207654321&status=x",
            "Bad Request: /api/v1/cases/",
        ),
        (
            '"https://casemgr.example/cases/?q=%D0%9A%D0%B0" "Mozilla/5.0"',
            '"https://casemgr.example/cases/" "Mozilla/5.0"',
        ),
        ("Why is this case open?", "Why is this case open?"),
        ("GET /cases/42/ 200", "GET /cases/42/ 200"),
    ],
)
def test_urls_in_log_messages_lose_their_query_strings(line, expected):
    assert without_query_strings(line) == expected


def test_every_configured_handler_drops_query_strings():
    """The settings put the filter on every handler, and Django's request and runserver loggers
    write through them (not through Django's defaults)."""
    for name, handler in settings.LOGGING["handlers"].items():
        assert "no_query_strings" in handler.get("filters", []), name
    for name in ("django", "django.server"):
        assert settings.LOGGING["loggers"][name]["handlers"] == []
        assert logging.getLogger(name).handlers == []
    console = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, QueryStringFilter) for f in h.filters)
    ]
    assert console, "the root logger has the filtered console handler"
    stream = io.StringIO()
    previous = console[0].setStream(stream)
    try:
        logger = logging.getLogger("django.server")
        logger.info('"%s" %s %s', f"GET /cases/?q={FAMILY} HTTP/1.1", "200", "512")
        logging.getLogger("django.request").warning("Not Found: %s", f"/api/v1/cases/?q={PASSPORT}")
    finally:
        console[0].setStream(previous)
    written = stream.getvalue()
    assert '"GET /cases/ HTTP/1.1" 200 512' in written and "Not Found: /api/v1/cases/" in written
    assert not _leaks(written)


def _documented_access_log_format() -> str:
    text = (ROOT / "docs/operations.md").read_text()
    command = re.search(r"^gunicorn casemgr\.wsgi.*?(?<!\\)$", text, re.M | re.S).group(0)
    arguments = shlex.split(command.replace("\\\n", " "))
    return arguments[arguments.index("--access-logformat") + 1]


def test_the_documented_gunicorn_access_log_keeps_no_query_string():
    """The format in docs/operations.md, rendered by gunicorn's own logger for a search whose
    page came from another search (the Referer)."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    log_format = _documented_access_log_format()
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", log_format)
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/cases/?q={FAMILY}",
        "PATH_INFO": "/api/v1/cases/",
        "QUERY_STRING": f"q={FAMILY}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://casemgr.example/cases/?q={PASSPORT}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=35))
    line = log_format % logger.atoms_wrapper_class(atoms)
    assert '"GET /api/v1/cases/ HTTP/1.1" 200 512' in line and "10.0.0.7" in line
    assert not _leaks(line)
    # What the format must not use, said in the docs: the default writes the search.
    default = Config().access_log_format % logger.atoms_wrapper_class(atoms)
    assert _leaks(default)


def test_case_searches_and_duplicate_checks_send_nothing_readable_to_the_database(
    client, api, caseworker_a, administrator, known_case
):
    """Names and document numbers reach the database only as keyed hashes, so neither the
    database's statement log nor Django's SQL log (DEBUG) can hold what was searched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(caseworker_a)
    worker, admin = api.as_user(caseworker_a), api.as_user(administrator)
    with CaptureQueriesContext(connection) as queries:
        for q in SEARCHES:
            assert client.get("/cases/", {"q": q}).status_code == 200
            assert worker.get("/api/v1/cases/", {"q": q}).status_code == 200
            assert admin.get("/api/v1/cases/", {"q": q}).status_code == 200
        for family, number in [(FAMILY, PASSPORT), (UNKNOWN_FAMILY, UNKNOWN_PASSPORT)]:
            worker.post(
                "/api/v1/cases/duplicates/",
                {**_person("", family, GIVEN), "document_numbers": [number]},
                format="json",
            )
            client.post(
                "/cases/new/duplicates/",
                {**_person("person-", family, GIVEN), "document-kind": "passport",
                 "document-number": number, "document-held_by": "self"},
            )  # fmt: skip
    statements = "\n".join(q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) > 50 and not _leaks(statements)
    # A reference is still found by its start.
    found = worker.get("/api/v1/cases/", {"q": known_case.reference[:7].lower()}).json()
    assert [c["id"] for c in found["results"]] == [known_case.pk]
