from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.models import Case, CaseEvent, Person
from apps.cases.retention import case_anonymise, cases_anonymise_due
from apps.cases.tasks import cases_anonymise_due as anonymise_task
from tests.cases.factories import CaseFactory, IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _closed(organization, *, years_ago: float, **kwargs):
    closed_at = timezone.now() - timedelta(days=round(365.25 * years_ago))
    return CaseFactory(
        organization=organization, status="closed", closed_at=closed_at, outcome="Went home.",
        **kwargs,
    )  # fmt: skip


def test_closed_cases_past_retention_lose_personal_data_and_keep_what_reports_count(ngo_a):
    person = PersonFactory(given_name="Aziz", family_name="Karimov", sex="male", citizenship="UZ")
    case = _closed(ngo_a, years_ago=6, person=person, region="astana", sector="construction")
    IdentityDocumentFactory(case=case, number="FA1234567")
    CaseEvent.objects.create(case=case, kind="case_updated", data={"changes": {"x": ["a", "b"]}})
    kept = _closed(ngo_a, years_ago=4)

    assert anonymise_task.delay().get() == 1

    case.refresh_from_db()
    person = Person.objects.get(pk=case.person_id)
    assert (person.given_name, person.family_name, person.date_of_birth) == ("", "", None)
    assert person.family_name_hash == ""
    assert case.documents.get().number == ""
    assert case.events.get(kind="case_updated").data == {}
    assert case.outcome == "" and case.anonymised_at is not None
    # What aggregate reports read is unchanged.
    assert (person.sex, person.citizenship, case.region, case.sector) == (
        "male", "UZ", "astana", "construction",
    )  # fmt: skip
    kept.refresh_from_db()
    assert kept.anonymised_at is None and kept.person.given_name != ""


def test_anonymisation_is_idempotent_and_spares_open_cases(ngo_a):
    open_case = CaseFactory(organization=ngo_a)
    _closed(ngo_a, years_ago=7)
    assert cases_anonymise_due() == 1
    assert cases_anonymise_due() == 0
    open_case.refresh_from_db()
    assert open_case.anonymised_at is None


def test_a_person_with_another_active_case_keeps_their_data(ngo_a):
    person = PersonFactory(given_name="Malika")
    old = _closed(ngo_a, years_ago=8, person=person)
    CaseFactory(organization=ngo_a, person=person)
    case_anonymise(case=old)
    assert Person.objects.get(pk=person.pk).given_name == "Malika"
    assert Case.objects.get(pk=old.pk).anonymised_at is not None


def test_the_retention_period_is_a_setting(ngo_a, settings):
    settings.CASEMGR_RETENTION_YEARS = 10
    _closed(ngo_a, years_ago=7)
    assert cases_anonymise_due() == 0


def test_anonymisation_leaves_the_annual_report_unchanged(caseworker_a):
    from apps.reports.metrics import annual_metrics
    from apps.screening.services import screening_create
    from tests.screening.patterns import PRESUMED

    case = CaseFactory(organization=caseworker_a.organization, person=PersonFactory(sex="female"))
    screening_create(
        actor=caseworker_a, case=case, answers=PRESUMED, interview_language="ru",
        consent_given=True,
    )  # fmt: skip
    year = timezone.localdate().year
    before = annual_metrics(year=year)
    assert before["protection"]["presumed_victims"] == 1
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=365 * 9)
    )
    case_anonymise(case=case)
    assert annual_metrics(year=year) == before
