"""An inspector screens a case in Kazakh, step by step, and sees the removal suspended."""

import pytest
from django.utils import translation

from apps.removals.services import removal_propose
from apps.screening.catalogue import get_catalogue
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kk(text: str, context: str | None = None) -> str:
    with translation.override("kk"):
        if context:
            return translation.pgettext(context, text)
        return translation.gettext(text)


def serious_violations(page) -> list[str]:
    """axe-core's critical and serious violations on the page (the summary page is reached only
    by a POST, so the crawl's accessibility test does not see it)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def test_an_inspector_screens_debt_bondage_in_kazakh_and_sees_the_removal_suspended(browser_page):
    inspectorate = OrganizationFactory(name="Inspectorate", kind="labour_inspectorate")
    inspector = UserFactory(
        username="serik", role="inspector", organization=inspectorate, language="kk"
    )
    case = CaseFactory(organization=inspectorate, created_by=inspector)
    removal = removal_propose(actor=inspector, case=case, grounds="overstay")
    assert removal.status == "pending"
    catalogue = get_catalogue()

    page = browser_page
    # At a work site, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_label("Username").fill("serik")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"/screening/cases/{case.pk}/new/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.get_by_role("heading", name=kk("Screening interview"), exact=True).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Consent comes first: until it is ticked the questions cannot be answered.
    debt_bondage = page.locator("input[name=cd_debt_bondage][value=yes]")
    assert debt_bondage.is_disabled()
    review = page.get_by_role("button", name=kk("Review the answers"))
    assert review.is_disabled()
    page.get_by_label(
        kk("The person agreed to the interview and to the recording of the answers")
    ).check()
    assert debt_bondage.is_enabled() and review.is_enabled()

    # The one language selector shows the questions in Russian for the interpreter, beside
    # Kazakh for the inspector, and keeps what was answered.
    coercion = page.locator("#dimension-coercion_destination")
    coercion.locator("summary").click()
    debt_bondage.check()
    page.locator("input[name=cd_documents][value=yes]").check()
    assert page.locator("[data-answered-total]").inner_text() == "2"
    page.locator("#id_interview_language").select_option("ru")
    page.wait_for_load_state()
    row = page.locator("#question-cd_debt_bondage")
    row.wait_for(state="attached")
    assert catalogue.question("cd_debt_bondage", "ru") in row.inner_text()
    assert catalogue.question("cd_debt_bondage", "kk") in row.inner_text()
    assert page.locator("input[name=cd_debt_bondage][value=yes]").is_checked()
    assert page.locator("input[name=cd_documents][value=yes]").is_checked()
    # Each answer's radio button sits beside its label, on the same line.
    yes = page.locator("#question-cd_debt_bondage label.answer").first
    box, radio = yes.bounding_box(), yes.locator("input").bounding_box()
    assert radio["y"] >= box["y"] and radio["y"] + radio["height"] <= box["y"] + box["height"]

    page.locator("#id_interpreter_used").check()
    debt = page.locator("#dimension-debt")
    if debt.get_attribute("open") is None:
        debt.locator("summary").click()
    page.locator("#id_debt_amount").fill("150000")
    page.locator("#id_debt_currency").select_option("KZT")
    page.locator("#id_debt_creditor").select_option("employer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not serious_violations(page), serious_violations(page)
    page.get_by_role("button", name=kk("Review the answers")).click()

    # The summary: what completing will record, before anything is recorded.
    page.get_by_role("heading", name=kk("Review the screening"), exact=True).wait_for()
    assert not serious_violations(page), serious_violations(page)
    summary = page.locator("main").inner_text()
    assert kk("Possible victim") in summary
    assert catalogue.question("cd_debt_bondage", "kk") in summary
    assert (
        kk(
            "The pending removal of this case will be suspended, and the person routed to NGO services."
        )
        in summary
    )  # noqa: E501
    removal.refresh_from_db()
    assert removal.status == "pending"
    page.get_by_role("button", name=kk("Complete the screening")).click()

    page.get_by_role("heading", name=kk("Screening result"), exact=True).wait_for()
    assert kk("Possible victim") in page.locator("main").inner_text()
    suspended = page.locator("tr.removal-row[data-status=suspended]")
    suspended.wait_for()
    assert kk("Suspended") in suspended.inner_text()

    removal.refresh_from_db()
    assert removal.status == "suspended" and removal.reflection_until is not None
    case.refresh_from_db()
    assert case.risk_level == "medium" and case.victim_status == "possible"
    screening = case.screenings.get()
    assert screening.interview_language == "ru" and screening.interpreter_used
    assert screening.consent_given and screening.debt_creditor == "employer"


def test_without_javascript_the_interview_still_goes_step_by_step(live_server):
    """Consent, language, answers and the summary all work with scripts turned off."""
    from playwright.sync_api import sync_playwright

    inspectorate = OrganizationFactory(name="Inspectorate", kind="labour_inspectorate")
    UserFactory(username="aida", role="inspector", organization=inspectorate, language="kk")
    case = CaseFactory(organization=inspectorate)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=False,
            viewport={"width": 390, "height": 844},
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("aida")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/screening/cases/{case.pk}/new/")
        assert page.locator("input[name=cd_documents][value=yes]").is_disabled()
        page.get_by_label(
            kk("The person agreed to the interview and to the recording of the answers")
        ).check()
        page.get_by_role("button", name=kk("Continue to the questions")).click()
        page.locator("#id_interview_language").select_option("uz")
        # A section opens natively (<details>), without any script.
        page.locator("#dimension-coercion_destination summary").click()
        page.locator("input[name=cd_documents][value=yes]").check()
        page.locator("#step-consent").get_by_role(
            "button", name=kk("Show the questions in this language")
        ).click()
        assert page.locator("input[name=cd_documents][value=yes]").is_checked()
        page.get_by_role("button", name=kk("Review the answers")).click()
        page.get_by_role("heading", name=kk("Review the screening"), exact=True).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name=kk("Complete the screening")).click()
        page.get_by_role("heading", name=kk("Screening result"), exact=True).wait_for()
        browser.close()
    screening = case.screenings.get()
    assert screening.is_complete and screening.answers == {"cd_documents": "yes"}
    assert screening.interview_language == "uz"


def test_an_interview_in_tajik_shows_the_persons_texts_beside_russian_on_a_phone(browser_page):
    """Issue 17: the person reads Tajik, the inspector Russian, each marked with its language."""
    inspectorate = OrganizationFactory(name="Inspectorate", kind="labour_inspectorate")
    UserFactory(username="olga", role="inspector", organization=inspectorate, language="ru")
    case = CaseFactory(organization=inspectorate)
    catalogue = get_catalogue()

    def ru(text: str) -> str:
        with translation.override("ru"):
            return translation.gettext(text)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"/screening/cases/{case.pk}/new/")
    assert page.locator("html").get_attribute("lang") == "ru"
    # The selector names Tajik in Russian and in Tajik; choosing it shows the page again.
    assert page.locator("#id_interview_language option[value=tg]").inner_text() == (
        f"{ru('Tajik')} · Тоҷикӣ"
    )
    page.locator("#id_interview_language").select_option("tg")
    page.wait_for_load_state()
    page.locator("#consent-statement [lang=tg]").wait_for()
    assert page.locator("#consent-statement [lang=tg]").inner_text() == catalogue.consent["tg"]
    assert page.locator("#consent-statement [lang=ru]").inner_text() == catalogue.consent["ru"]
    page.get_by_label(
        ru("The person agreed to the interview and to the recording of the answers")
    ).check()
    coercion = page.locator("#dimension-coercion_destination")
    if coercion.get_attribute("open") is None:
        coercion.locator("summary").click()
    row = page.locator("#question-cd_not_free_to_leave")
    assert row.locator(".question-text[lang=tg]").inner_text() == (
        catalogue.question("cd_not_free_to_leave", "tg")
    )
    assert row.locator("span[lang=ru]").first.inner_text() == (
        catalogue.question("cd_not_free_to_leave", "ru")
    )
    # "Ҳа Да": the person's answer, then the inspector's.
    assert row.locator("label.answer").first.inner_text().split() == ["Ҳа", "Да"]
    row.locator("input[value=yes]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not serious_violations(page), serious_violations(page)
    page.get_by_role("button", name=ru("Review the answers")).click()
    page.get_by_role("heading", name=ru("Review the screening"), exact=True).wait_for()
    summary = page.locator("main")
    assert catalogue.question("cd_not_free_to_leave", "tg") in summary.inner_text()
    assert catalogue.question("cd_not_free_to_leave", "ru") in summary.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not serious_violations(page), serious_violations(page)
    page.get_by_role("button", name=ru("Complete the screening")).click()
    page.get_by_role("heading", name=ru("Screening result"), exact=True).wait_for()
    assert ru("Tajik") in page.locator("main").inner_text()
    screening = case.screenings.get()
    assert screening.interview_language == "tg"
    assert screening.answers == {"cd_not_free_to_leave": "yes"}
