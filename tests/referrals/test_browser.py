import pytest

from apps.referrals.models import Referral
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Caseworker desk").wait_for()


def test_a_caseworker_refers_a_person_and_the_receiving_ngo_accepts(
    browser_page, case_a, shelter_b, caseworker_a, caseworker_b
):
    page = browser_page
    _sign_in(page, caseworker_a)
    page.goto(f"/referrals/cases/{case_a.pk}/refer/")
    page.get_by_role("link", name="Refer to Almaty shelter").click()
    page.get_by_label("The person gave informed consent").check()
    page.get_by_label("Reason for the referral").fill("Evicted by the employer tonight.")
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_role("button", name="Send the referral").click()
    page.get_by_role("heading", name="Referral #").wait_for()
    referral = Referral.objects.get()
    assert referral.status == "sent" and referral.sending_organization == caseworker_a.organization

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, caseworker_b)
    page.get_by_role("link", name="Almaty shelter").first.click()
    assert page.get_by_text(case_a.reference).count() == 0
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("You accepted the referral.").wait_for()
    referral.refresh_from_db()
    assert referral.status == "accepted"
