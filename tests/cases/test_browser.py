"""A caseworker working in Russian opens a case in the browser."""

import pytest
from django.utils import translation

from apps.cases.models import Case
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ru(message: str) -> str:
    with translation.override("ru"):
        return translation.gettext(message)


def test_a_caseworker_opens_a_case_in_russian(browser_page):
    UserFactory(username="olga", role="caseworker", language="ru")
    page = browser_page
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("olga")
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=ru("Caseworker desk")).wait_for()
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("link", name=ru("Cases"), exact=True).first.click()
    page.get_by_role("link", name=ru("Open a case")).first.click()
    page.get_by_role("heading", name=ru("Open a case")).wait_for()
    page.locator("[name=person-family_name]").fill("Назарова")
    page.locator("[name=person-given_name]").fill("Гулнора")
    page.locator("[name=person-sex]").select_option("female")
    page.locator("[name=person-date_of_birth]").fill("1998-07-21")
    page.locator("[name=person-citizenship]").select_option("TJ")
    page.locator("[name=person-languages]").fill("tg, ru")
    page.locator("[name=case-region]").select_option("almaty_city")
    page.locator("[name=case-identified_via]").select_option("hotline")
    page.locator("[name=case-entry_date]").fill("2999-01-01")
    page.locator("[name=case-stay_basis]").select_option("visa_free")
    page.locator("[name=document-kind]").select_option("passport")
    page.locator("[name=document-number]").fill("400123456")
    page.locator("[name=document-held_by]").select_option("employer")
    page.get_by_role("button", name=ru("Open the case")).click()

    # A date in the future is refused with a message in Russian, and nothing is saved.
    page.get_by_text(ru("This date is in the future.")).wait_for()
    assert not Case.objects.exists()
    page.locator("[name=case-entry_date]").fill("2026-02-01")
    page.get_by_role("button", name=ru("Open the case")).click()

    page.get_by_role("heading", name="Назарова Гулнора").wait_for()
    case = Case.objects.get()
    assert page.get_by_text(
        ru("Case %(reference)s opened.") % {"reference": case.reference}
    ).count()
    # The passport held by the employer shows as a warning on the case.
    assert page.locator("[data-warning=withheld-document]").count() == 1
    assert case.person.citizenship == "TJ" and case.documents.get().held_by == "employer"
