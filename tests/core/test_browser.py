import pytest
from django.utils import translation

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_signs_in_switches_to_kazakh_and_sees_the_home_page(browser_page):
    UserFactory(username="dana", role="caseworker", language="en")
    page = browser_page
    page.goto("/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Caseworker desk").wait_for()

    page.get_by_label("Language").select_option("kk")
    with translation.override("kk"):
        heading = translation.gettext("Caseworker desk")
    assert heading != "Caseworker desk"
    page.get_by_role("heading", name=heading).wait_for()
    assert page.locator("html").get_attribute("lang") == "kk"
