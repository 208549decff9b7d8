"""The crawl: every demo user signs in through the login form and visits every page they can reach
and every GET operation of the API, in English, Russian and Kazakh (docs/crawl.md).

It tests the assembled product the way people meet it: the demo as `make run` seeds it, links
as the pages offer them. Every fault of a run is collected and reported together.
"""

import re
from collections import defaultdict, deque
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD, USERS
from apps.accounts.models import User

from .pages import Page, english_strings, problems, raw_codes

LANGUAGES = ("en", "ru", "kk")
# Each URL pattern is visited this many times (with other arguments where the pages offer them).
VISITS_PER_PATTERN = 2
# Links that end the session, switch language or change state, and files that are not pages.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/i18n/", "/static/", "/media/")
SKIPPED_PATTERNS = re.compile(r"/(delete|logout)/")
# Pages that must be reached (each from the navigation, the home page or the case page).
REQUIRED_PATTERNS = {"tasks:mine", "tasks:team", "tasks:follow_up_record"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_SECRET = re.compile(r'data-testid="totp-secret">([A-Z2-7]+)<')

pytestmark = pytest.mark.django_db


def _post_form(client: Client, url: str, data: dict):
    page = client.get(url)
    token = CSRF_INPUT.search(page.content.decode())
    assert token, f"no CSRF token on {url}"
    return client.post(url, {"csrfmiddlewaretoken": token.group(1), **data})


def _sign_in(username: str) -> Client:
    """Sign in through the login form, and through the TOTP step where the user must."""
    client = Client(enforce_csrf_checks=True)
    response = _post_form(
        client, "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{username}: sign-in answered {response.status_code}"
    location = response["Location"]
    if "two-factor" not in location:
        # An administrator without a second factor is sent to set one up by the next page.
        follow = client.get(location)
        location = follow["Location"] if follow.status_code == 302 else location
    if "two-factor" in location:
        # The key and the form's token from the same page: the key is made when the page is shown.
        html = client.get(location).content.decode()
        secret, token = TOTP_SECRET.search(html), CSRF_INPUT.search(html)
        assert secret and token, f"{username}: no TOTP key on the set-up page"
        code = pyotp.TOTP(secret.group(1)).now()
        response = client.post(location, {"csrfmiddlewaretoken": token.group(1), "code": code})
        assert response.status_code == 302, f"{username}: TOTP set-up failed"
    assert client.get("/").status_code == 200
    return client


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def _same_site_path(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIPPED_PREFIXES) or SKIPPED_PATTERNS.search(parts.path):
        return None
    return path


class Findings:
    def __init__(self):
        self.items: dict[str, set[str]] = defaultdict(set)
        self.visited: dict[tuple[str, str], int] = defaultdict(int)
        self.patterns: set[str] = set()

    def add(self, kind: str, where: str, detail: str) -> None:
        self.items[kind].add(f"{where}: {detail}")

    def report(self) -> str:
        lines = []
        for kind, entries in sorted(self.items.items()):
            lines.append(f"== {kind} ({len(entries)})")
            lines.extend(f"  {entry}" for entry in sorted(entries)[:200])
        return "\n".join(lines)


def _crawl_pages(client: Client, username: str, language: str, english, findings: Findings):
    codes = frozenset(raw_codes())
    """Breadth first from the home page and the admin index, each pattern VISITS_PER_PATTERN times."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    seen_paths: set[str] = set()
    per_pattern: dict[str, int] = defaultdict(int)
    queue = deque(["/", "/admin/"])
    while queue:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or per_pattern[pattern] >= VISITS_PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        findings.visited[(username, language)] += 1
        findings.patterns.add(pattern)
        where = f"{username} [{language}] {path}"
        if response.status_code >= 500:
            findings.add("server error", where, str(response.status_code))
            continue
        if response.status_code in (301, 302):
            target = _same_site_path(path, response["Location"])
            if target:
                queue.append(target)
            continue
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        page = Page(response.content.decode())
        for kind, detail in problems(
            page, language=language, english=english if language != "en" else set(), codes=codes
        ):
            findings.add(kind, f"{pattern} [{language}]", detail)
        for href in page.links:
            target = _same_site_path(path, href)
            if target and target not in seen_paths:
                queue.append(target)


def _first_ids(client: Client, url: str, language: str) -> list:
    response = client.get(url, {"page_size": 2}, HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return []
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row][:2]


def _crawl_api(client: Client, username: str, operations, language: str, findings: Findings):
    """Every GET operation, its path parameters filled from the lists above it."""
    year = str(timezone.localdate().year)
    for template in operations:
        urls = [""]
        for part in re.split(r"(\{\w+\})", template):
            if not part.startswith("{"):
                urls = [url + part for url in urls]
                continue
            urls = [
                f"{url}{value}"
                for url in urls
                for value in ([year] if part == "{year}" else _first_ids(client, url, language))
            ]
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            findings.visited[(username, f"api {language}")] += 1
            if response.status_code >= 500:
                findings.add("server error", f"{username} [{language}] GET {template}", url)


def test_every_demo_user_reaches_every_page_and_operation_without_fault(settings):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    anonymous = Client()
    schema = anonymous.get("/api/schema/", {"format": "json"})
    assert schema.status_code in (200, 401, 403)
    english = {language: english_strings(language) for language in ("ru", "kk")}
    findings = Findings()
    operations = None
    usernames = [row[0] for row in USERS]
    assert User.objects.filter(username__in=usernames, is_active=True).count() == len(usernames)
    for username in usernames:
        client = _sign_in(username)
        if operations is None:
            spec = client.get("/api/schema/", {"format": "json"}).json()
            operations = [path for path, ops in spec["paths"].items() if "get" in ops]
        for language in LANGUAGES:
            _crawl_pages(client, username, language, english.get(language, set()), findings)
            _crawl_api(client, username, operations, language, findings)
    visited = sum(findings.visited.values())
    print(f"crawl: {visited} requests, {len(findings.patterns)} URL patterns")
    for (username, language), count in sorted(findings.visited.items()):
        print(f"  {username:<22} {language:<7} {count}")
    assert len(findings.patterns) >= 40, sorted(findings.patterns)
    assert findings.patterns >= REQUIRED_PATTERNS, sorted(REQUIRED_PATTERNS - findings.patterns)
    assert not findings.items, "\n" + findings.report()
