import io

import pytest
from django.core.management import call_command

from tests import services


@pytest.fixture
def demo(transactional_db, settings):
    """The seeded demo, with administrators held to their second factor as in production."""
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def chromium(live_server):
    """One headless chromium for the whole test; each demo user gets a context of their own."""
    path = services.chromium_path()
    if path is None:
        services.unavailable("this test needs Debian's chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread; the ORM calls around it are
        # still synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(chromium, live_server):
    """Opens a browser context on the live server: `new_context(viewport=...)`."""
    opened = []

    def open_context(**options):
        context = chromium.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()
