"""The opening form warns, as the caseworker types, of the same person written in another script
in another organisation, and says nothing more of them."""

from datetime import date

import pytest
from django.utils import translation

from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kk(text: str) -> str:
    with translation.override("kk"):
        return translation.gettext(text)


def test_typing_a_cyrillic_name_warns_of_the_latin_record_elsewhere(browser_page):
    omsk = OrganizationFactory(name="Omsk Border Migrant Aid", kind="ngo", region="astana")
    theirs = CaseFactory(
        organization=omsk,
        person=PersonFactory(
            given_name="Zarina", family_name="Kadyrova", sex="female",
            date_of_birth=date(1998, 4, 16), citizenship="KG",
        ),
    )  # fmt: skip
    almaty = OrganizationFactory(name="Almaty Legal Aid", kind="ngo", region="almaty_city")
    UserFactory(username="yerlan", role="caseworker", organization=almaty, language="kk")

    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("yerlan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/cases/new/")
    # Typed quickly, one field after another: each change asks again, the last answer wins.
    page.locator("#id_person-given_name").fill("Зарина")
    page.locator("#id_person-family_name").fill("Кадырова")
    page.locator("#id_person-sex").select_option("female")
    page.locator("#id_person-date_of_birth").fill("1998-04-16")
    page.locator("#id_person-citizenship").select_option("KG")
    warning = page.locator("#duplicates [role=alert]")
    warning.wait_for()
    text = warning.inner_text()
    assert kk("This person may already have a case") in text
    assert theirs.reference not in page.content() and "Kadyrova" not in page.content()
