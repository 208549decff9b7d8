"""Walking the seeded demo in a real browser: signing in as a demo user, finding the pages a
role can reach, and one URL for each of the site's URL patterns.

Shared by the accessibility and the phone-layout tests, and usable against a running
`manage.py runserver` (see `python -m tests.browser.site --help`) to look at the pages by hand.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

import pyotp
from django.urls import Resolver404, resolve

from apps.accounts.demo import DEMO_PASSWORD

LANGUAGES = ("en", "ru", "kk")
LANGUAGE_COOKIE = "casemgr_language"

# One demo user of every role (apps/accounts/demo.py).
DEMO_USERS = {
    "caseworker": "caseworker.astana",
    "inspector": "inspector.astana",
    "administrator": "admin",
    "auditor": "auditor",
}

# Never followed while walking: leaving, changing state through a link, files, the API, and
# Django's admin (hundreds of patterns of its own; a few of its pages are visited on purpose).
_SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/", "/api/", "/static/", "/media/", "/admin/")
_SKIPPED_SUFFIXES = (".pdf", ".xlsx", ".csv")
# Several instances of a pattern are read, because some links only appear in some states
# (a pending removal links to its decision, a closed case to reopening it).
_URLS_READ_PER_PATTERN = 3


class _Links(HTMLParser):
    """The targets of a page's links, and of its GET forms submitted with their defaults."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in attrs:
                self._select["value"] = attrs.get("value") or ""
        elif tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "fields": []}
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "reset", "file"):
            # An empty number (the report's year) takes its largest allowed value.
            value = attrs.get("value") or attrs.get("max") or ""
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._form["fields"].append((attrs["name"], value))
        elif tag == "select":
            self._select = {"name": attrs["name"], "value": None}

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            self._form["fields"].append((self._select["name"], self._select["value"] or ""))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.hrefs.append(f"{self._form['action']}?{urlencode(self._form['fields'])}")
            self._form = None


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def pattern_of(path: str) -> str | None:
    """The URL pattern (route) a path belongs to, or None for one the site does not have."""
    try:
        return resolve(path).route
    except Resolver404:
        return None


def totp_secret(username: str) -> str:
    from apps.accounts.models import TOTPDevice

    return TOTPDevice.objects.get(user__username=username).secret


def set_language(context, base_url: str, language: str) -> None:
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base_url}])


def sign_in(page, username: str, *, on_two_factor_setup=None) -> None:
    """Sign in through the login form; an administrator's first sign-in sets up TOTP.

    `on_two_factor_setup(page)` runs on the set-up page before the code is entered, so that a
    caller can look at that page too.
    """
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    if path in ("/accounts/two-factor/", "/accounts/login/code/"):
        if path == "/accounts/two-factor/" and on_two_factor_setup is not None:
            on_two_factor_setup(page)
        page.locator("input[name=code]").fill(pyotp.TOTP(totp_secret(username)).now())
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    if urlsplit(page.url).path.startswith("/accounts/"):
        raise AssertionError(f"{username} could not sign in: still on {page.url}")


def walk(context, base_url: str, *, start: str = "/", limit: int = 400) -> dict[str, str]:
    """Follow links from `start` with the context's session; one HTML URL for each pattern.

    Reads pages over HTTP without rendering them, so walking is quick; returns
    {pattern: first URL of it that answered 200 with HTML}.
    """
    host = urlsplit(base_url).netloc
    found: dict[str, str] = {}
    read: dict[str, int] = {}
    seen: set[str] = {start}
    queue = deque([start])
    fetched = 0
    while queue and fetched < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        pattern = pattern_of(path)
        # A pattern none of whose URLs has answered yet gets more tries (a state may not show).
        allowed = _URLS_READ_PER_PATTERN if pattern in found else 4 * _URLS_READ_PER_PATTERN
        if pattern is None or read.get(pattern, 0) >= allowed:
            continue
        read[pattern] = read.get(pattern, 0) + 1
        fetched += 1
        response = context.request.get(urljoin(base_url, url), max_redirects=0)
        content_type = response.headers.get("content-type", "")
        if response.status in (301, 302, 303) and "location" in response.headers:
            hrefs = [response.headers["location"]]
        elif response.status != 200 or not content_type.startswith("text/html"):
            continue
        else:
            found.setdefault(pattern, url)
            hrefs = links_in(response.text())
        for href in hrefs:
            target, _fragment = urldefrag(urljoin(urljoin(base_url, url), href))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if (
                local in seen
                or parts.path.startswith(_SKIPPED_PREFIXES)
                or parts.path.endswith(_SKIPPED_SUFFIXES)
            ):
                continue
            seen.add(local)
            queue.append(local)
    return found


def admin_pages() -> list[str]:
    """Django admin's index, a changelist and a change form."""
    from apps.accounts.models import Organization

    organization = Organization.objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/accounts/organization/",
        f"/admin/accounts/organization/{organization.pk}/change/",
    ]
