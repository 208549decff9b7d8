import pytest
from django.utils import timezone

from apps.training.models import Attendance
from tests.accounts.factories import PASSWORD, UserFactory
from tests.training.factories import InspectorFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_records_attendance_and_the_inspector_becomes_trained(browser_page):
    UserFactory(username="aigerim", role="administrator", organization=None)
    InspectorFactory(username="serik", first_name="Serik", last_name="Zhakupov")
    session = TrainingSessionFactory(
        title="Victim identification seminar", date=timezone.localdate()
    )
    page = browser_page
    page.goto("/")
    page.get_by_label("Username").fill("aigerim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Administration").wait_for()

    page.goto("/training/inspectors/")
    row = page.get_by_role("row").filter(has_text="serik")
    assert row.get_by_text("Not trained").is_visible()

    page.goto(f"/training/sessions/{session.pk}/")
    form = page.get_by_role("form", name="Record attendance")
    form.get_by_label("Inspector").select_option(
        label="Serik Zhakupov (serik, Labour Inspectorate)"
    )
    form.get_by_label("Passed").check()
    form.get_by_label("Score").fill("92")
    form.get_by_role("button", name="Record attendance").click()
    page.locator("#attendance-rows").get_by_text("Serik Zhakupov").wait_for()
    assert Attendance.objects.get().score == 92

    page.goto("/training/inspectors/")
    row = page.get_by_role("row").filter(has_text="serik")
    row.get_by_text("Certified", exact=True).wait_for()
