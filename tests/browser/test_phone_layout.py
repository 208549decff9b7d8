"""At a phone's width (390 px) no key page scrolls sideways, for the roles that work on phones."""

import pytest

from tests.browser import site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Kazakh has the longest words; Russian the longest phrases.
LANGUAGES = ("kk", "ru")
ROLES = ("caseworker", "inspector", "administrator")
KEY_PATTERNS = {
    "": "home",
    "cases/": "case list",
    "cases/<int:case_id>/": "case page",
    "cases/<int:case_id>/edit/": "case form",
    "cases/new/": "new case form",
    "screening/cases/<int:case_id>/new/": "interview",
    "referrals/cases/<int:case_id>/refer/": "referral form",
    "removals/<int:pk>/": "removal",
    "reports/annual/<int:year>/": "annual report",
    "training/sessions/": "training sessions",
    "training/mine/": "own training",
    "audit/": "audit log",
}


def test_no_key_page_scrolls_sideways_on_a_phone_in_kazakh_or_russian(
    demo, new_context, live_server
):
    too_wide = []
    checked = set()
    for role in ROLES:
        context = new_context(viewport=PHONE)
        page = context.new_page()
        site.sign_in(page, site.DEMO_USERS[role])
        pages = site.walk(context, live_server.url)
        for language in LANGUAGES:
            site.set_language(context, live_server.url, language)
            for pattern, name in KEY_PATTERNS.items():
                if pattern not in pages:
                    continue  # not a page this role has
                page.goto(pages[pattern])
                checked.add(pattern)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{name} {page.url} ({role}, {language}): {width} px")

    unchecked = {KEY_PATTERNS[pattern] for pattern in KEY_PATTERNS.keys() - checked}
    assert not unchecked, f"no role reached these key pages: {sorted(unchecked)}"
    assert not too_wide, "pages wider than the phone:\n" + "\n".join(too_wide)


def test_the_phone_menu_folds_away_and_opens_from_its_button(demo, new_context):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    site.sign_in(page, site.DEMO_USERS["caseworker"])
    navigation = page.locator(".site-header nav")
    toggle = page.locator(".site-header button[aria-controls=site-menu]")
    assert navigation.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert navigation.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"


def test_a_table_on_a_phone_labels_each_value_with_its_column_heading(demo, new_context):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    site.sign_in(page, site.DEMO_USERS["caseworker"])
    page.goto("/cases/")
    first_row = page.locator("main table tbody tr").first
    labels = first_row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    headings = page.locator("main table thead th").all_text_contents()
    assert labels == [heading.strip() for heading in headings]
    assert first_row.bounding_box()["width"] <= PHONE["width"]
