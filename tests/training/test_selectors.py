import inspect
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from apps.training import selectors
from tests.accounts.factories import OrganizationFactory
from tests.training.factories import InspectorFactory, passed_session

pytestmark = pytest.mark.django_db


def test_certified_until_is_24_months_after_the_latest_passed_qualifying_session(inspector):
    passed_session(inspector, date(2023, 4, 1))
    passed_session(inspector, date(2024, 9, 12), topic="forced_labour_indicators")
    passed_session(inspector, date(2025, 1, 5), topic="debt_bondage")  # does not certify
    passed_session(inspector, date(2025, 3, 1), passed=False)  # not passed
    assert selectors.certified_until(inspector, date(2025, 12, 31)) == date(2026, 9, 12)


def test_certified_until_looks_only_at_sessions_up_to_the_given_day(inspector):
    passed_session(inspector, date(2023, 4, 1))
    passed_session(inspector, date(2025, 6, 10))
    assert selectors.certified_until(inspector, date(2024, 1, 1)) == date(2025, 4, 1)
    assert selectors.certified_until(inspector, date(2025, 6, 10)) == date(2027, 6, 10)


def test_certified_until_is_none_without_a_qualifying_pass(inspector):
    passed_session(inspector, date(2025, 1, 5), topic="non_punishment")
    assert selectors.certified_until(inspector) is None


def test_inspector_certified_on_takes_keyword_arguments_only():
    parameters = inspect.signature(selectors.inspector_certified_on).parameters
    assert list(parameters) == ["user", "on"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_an_inspector_is_certified_through_the_last_day_of_the_certification(inspector):
    passed_session(inspector, date(2024, 2, 29))
    assert not selectors.inspector_certified_on(user=inspector, on=date(2024, 2, 28))
    assert selectors.inspector_certified_on(user=inspector, on=date(2024, 2, 29))
    assert selectors.inspector_certified_on(user=inspector, on=date(2026, 2, 28))
    assert not selectors.inspector_certified_on(user=inspector, on=date(2026, 3, 1))


def test_a_completion_time_counts_on_its_local_day(inspector):
    passed_session(inspector, date(2024, 3, 1))
    # 2026-03-01 22:30 in UTC is already 2 March in Almaty: one day past the expiry.
    late = datetime(2026, 3, 1, 22, 30, tzinfo=ZoneInfo("UTC"))
    early = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert selectors.inspector_certified_on(user=inspector, on=early)
    assert not selectors.inspector_certified_on(user=inspector, on=late)


def test_the_annual_count_takes_active_inspectors_and_qualifying_passes_in_24_months():
    astana = OrganizationFactory(name="Insp Astana", kind="labour_inspectorate", region="astana")
    almaty = OrganizationFactory(
        name="Insp Almaty", kind="labour_inspectorate", region="almaty_city"
    )
    trained = InspectorFactory(organization=astana)
    passed_session(trained, date(2024, 1, 1))
    expired = InspectorFactory(organization=astana)
    passed_session(expired, date(2023, 12, 30))  # valid through 2025-12-30
    failed = InspectorFactory(organization=astana)
    passed_session(failed, date(2025, 5, 1), passed=False)
    other_topic = InspectorFactory(organization=almaty)
    passed_session(other_topic, date(2025, 5, 1), topic="referral_procedures")
    trained_almaty = InspectorFactory(organization=almaty)
    passed_session(trained_almaty, date(2025, 11, 30), topic="forced_labour_indicators")
    after_year_end = InspectorFactory(organization=almaty)
    passed_session(after_year_end, date(2026, 1, 15))
    inactive = InspectorFactory(organization=almaty, is_active=False)
    passed_session(inactive, date(2025, 5, 1))

    at = date(2025, 12, 31)
    assert selectors.inspectors_trained_count(at=at) == (2, 6)
    assert selectors.inspectors_trained_count(at=at, region="astana") == (1, 3)
    assert selectors.inspectors_trained_count(at=at, region="almaty_city") == (1, 3)


def test_the_annual_count_is_one_query(django_assert_num_queries):
    for _ in range(5):
        passed_session(InspectorFactory(), date(2025, 5, 1))
    with django_assert_num_queries(1):
        assert selectors.inspectors_trained_count(at=date(2025, 12, 31)) == (5, 5)


def test_inspectors_joined_after_the_day_are_not_counted():
    InspectorFactory(date_joined=datetime(2026, 2, 1, tzinfo=ZoneInfo("UTC")))
    assert selectors.inspectors_trained_count(at=date(2025, 12, 31)) == (0, 0)


def test_an_inspector_lists_only_their_own_organisations_inspectors(inspector):
    colleague = InspectorFactory(organization=inspector.organization)
    elsewhere = InspectorFactory(
        organization=OrganizationFactory(name="Other inspectorate", kind="labour_inspectorate")
    )
    visible = set(selectors.inspector_list_for_user(inspector))
    assert visible == {inspector, colleague}
    assert elsewhere not in visible


def test_caseworkers_list_no_inspectors(caseworker_a, inspector):
    assert not selectors.inspector_list_for_user(caseworker_a).exists()


def test_global_readers_list_every_active_inspector(administrator, auditor, inspector):
    other = InspectorFactory(organization=OrganizationFactory(name="Other", kind="police"))
    InspectorFactory(is_active=False)
    for user in (administrator, auditor):
        assert set(selectors.inspector_list_for_user(user)) == {inspector, other}


def test_the_inspector_list_filters_by_certification_today(administrator, inspector):
    from django.utils import timezone

    today = timezone.localdate()
    passed_session(inspector, today)
    untrained = InspectorFactory(organization=inspector.organization)
    assert list(selectors.inspector_list_for_user(administrator, filters={"trained": True})) == [
        inspector
    ]
    assert list(selectors.inspector_list_for_user(administrator, filters={"trained": False})) == [
        untrained
    ]
