"""axe-core on every page pattern a demo user of each role reaches, in every language.

The axe script comes inside the axe-playwright-python package, so nothing is fetched.
"""

from collections import defaultdict

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Impacts that fail the test; "moderate" and "minor" findings are advice.
FAILING_IMPACTS = {"critical", "serious"}

# Patterns that must have been checked for at least one role, so that a walk that stops
# finding a page (a broken link, a page that answers an error) cannot pass unnoticed.
REQUIRED_PATTERNS = {
    "",
    "accounts/login/",
    "accounts/login/code/",
    "accounts/two-factor/",
    "accounts/password/",
    "cases/",
    "cases/new/",
    "cases/<int:case_id>/",
    "cases/<int:case_id>/edit/",
    "screening/",
    "screening/<int:pk>/",
    "screening/cases/<int:case_id>/new/",
    "removals/",
    "removals/<int:pk>/",
    "referrals/",
    "referrals/<int:pk>/",
    "referrals/cases/<int:case_id>/refer/",
    "referrals/services/",
    "training/sessions/",
    "training/sessions/<int:pk>/",
    "proceedings/",
    "proceedings/<int:proceeding_id>/",
    "reports/",
    "reports/annual/<int:year>/",
    "audit/",
    "admin/",
}


class Audit:
    """Runs axe on pages and keeps the failing violations, grouped by rule and then page."""

    def __init__(self):
        self.axe = Axe()
        self.checked: set[str] = set()
        self.pages = 0
        self.violations: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(dict)

    def check(self, page, who: str, language: str, pattern: str) -> None:
        results = self.axe.run(page, options={"resultTypes": ["violations"]})
        self.checked.add(pattern)
        self.pages += 1
        for violation in results.response["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            key = (violation["id"], violation["impact"], violation["help"])
            where = f"{page.url} ({who}, {language})"
            self.violations[key][where] = [node["html"][:160] for node in violation["nodes"]]

    def report(self) -> str:
        lines = []
        for (rule, impact, help_text), pages in sorted(self.violations.items()):
            lines.append(f"{rule} [{impact}] {help_text}: {len(pages)} page(s)")
            for where, nodes in sorted(pages.items()):
                more = f" (+{len(nodes) - 1} more)" if len(nodes) > 1 else ""
                lines.append(f"    {where}: {nodes[0]}{more}")
        return "\n".join(lines)


def _in_every_language(context, page, live_server, audit, who, pattern, *, url=None):
    for language in site.LANGUAGES:
        site.set_language(context, live_server.url, language)
        if url is None:
            page.reload()
        else:
            page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        audit.check(page, who, language, pattern)


def test_no_page_of_the_demo_has_a_critical_or_serious_accessibility_violation(
    demo, new_context, live_server
):
    audit = Audit()

    context = new_context()
    page = context.new_page()
    _in_every_language(
        context, page, live_server, audit, "signed out", "accounts/login/", url="/accounts/login/"
    )

    # The administrator's first sign-in passes through setting up the authenticator app ...
    admin_context = new_context()
    admin_page = admin_context.new_page()
    site.sign_in(
        admin_page,
        site.DEMO_USERS["administrator"],
        on_two_factor_setup=lambda setup: _in_every_language(
            admin_context, setup, live_server, audit, "administrator", "accounts/two-factor/"
        ),
    )
    # ... and every later one through the code step.
    context = new_context()
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(site.DEMO_USERS["administrator"])
    page.locator("input[name=password]").fill(site.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    _in_every_language(context, page, live_server, audit, "administrator", "accounts/login/code/")
    context.close()

    for role, username in site.DEMO_USERS.items():
        if role == "administrator":
            context, page = admin_context, admin_page
        else:
            context = new_context()
            page = context.new_page()
            site.sign_in(page, username)
        pages = site.walk(context, live_server.url)
        if role == "administrator":
            pages.update({site.pattern_of(url): url for url in site.admin_pages()})
        for language in site.LANGUAGES:
            site.set_language(context, live_server.url, language)
            for pattern, url in sorted(pages.items()):
                page.goto(url)
                audit.check(page, role, language, pattern)

    missing = REQUIRED_PATTERNS - audit.checked
    assert not missing, f"these page patterns were never reached: {sorted(missing)}"
    assert not audit.violations, (
        f"critical or serious axe violations on {audit.pages} pages checked:\n{audit.report()}"
    )
