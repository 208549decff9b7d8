"""An inspector screens a case in Kazakh and sees the pending removal suspended."""

import pytest
from django.utils import translation

from apps.removals.services import removal_propose
from apps.screening.catalogue import get_catalogue
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kk(text: str) -> str:
    with translation.override("kk"):
        return translation.gettext(text)


def test_an_inspector_screens_debt_bondage_in_kazakh_and_sees_the_removal_suspended(browser_page):
    inspectorate = OrganizationFactory(name="Inspectorate", kind="labour_inspectorate")
    inspector = UserFactory(
        username="serik", role="inspector", organization=inspectorate, language="kk"
    )
    case = CaseFactory(organization=inspectorate, created_by=inspector)
    removal = removal_propose(actor=inspector, case=case, grounds="overstay")
    assert removal.status == "pending"

    page = browser_page
    page.goto("/")
    page.get_by_label("Username").fill("serik")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"/screening/cases/{case.pk}/new/?interview_language=ru")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.get_by_role("heading", name=kk("Screening interview"), exact=True).wait_for()
    catalogue = get_catalogue()
    # Questions side by side: Russian for the interpreter, Kazakh for the inspector.
    row = page.locator("#question-cd_debt_bondage")
    assert catalogue.question("cd_debt_bondage", "ru") in row.inner_text()
    assert catalogue.question("cd_debt_bondage", "kk") in row.inner_text()

    page.locator("input[name=cd_debt_bondage][value=yes]").check()
    page.locator("input[name=cd_documents][value=yes]").check()
    page.locator("#id_interview_language").select_option("ru")
    page.locator("#id_interpreter_used").check()
    page.locator("#id_consent_given").check()
    page.locator("#id_debt_amount").fill("150000")
    page.locator("#id_debt_currency").select_option("KZT")
    page.locator("#id_debt_creditor").select_option("employer")
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
