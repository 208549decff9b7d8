"""Case plans in time and the wait for an accepted referral (issue 19 item 7)."""

from datetime import timedelta

import pytest

from apps.caseplans.models import CasePlan
from apps.reports.metrics import Period, protection_metrics
from tests.cases.factories import CaseFactory
from tests.reports.factories import at, screening
from tests.reports.test_metrics_referrals import referral, shelter  # noqa: F401

pytestmark = pytest.mark.django_db
FLAG = at(2025, 3, 1)


def plan(case, when):
    created = CasePlan.objects.create(case=case, created_by=case.created_by)
    CasePlan.objects.filter(pk=created.pk).update(created_at=when)


def test_the_share_of_presumed_victims_with_a_case_plan_within_seven_days():
    before, on_time, late, never = (CaseFactory() for _ in range(4))
    for case in (before, on_time, late, never):
        screening(case, when=FLAG, trafficking="presumed_victim")
    plan(before, FLAG - timedelta(days=30))
    plan(on_time, FLAG + timedelta(days=6, hours=23))
    plan(late, FLAG + timedelta(days=8))
    result = protection_metrics(period=Period(2025), region=None)
    assert result["presumed_victims"] == 4
    assert float(result["presumed_victims_planned_pct"]) == 50.0


def test_a_possible_victims_plan_does_not_count_and_no_presumed_victims_is_no_data():
    case = CaseFactory()
    screening(case, when=FLAG, trafficking="possible_victim")
    plan(case, FLAG)
    result = protection_metrics(period=Period(2025), region=None)
    assert result["presumed_victims_planned_pct"] is None
    assert result["median_days_flag_to_accepted"] is None


def test_the_median_wait_from_the_flag_to_the_first_referral_accepted_after_it(shelter):  # noqa: F811
    for days in (2, 4, 9):
        case = CaseFactory()
        screening(case, when=FLAG, trafficking="presumed_victim")
        # An acceptance before the flag is not a response to it; the first one after it counts.
        referral(case, shelter, sent=FLAG - timedelta(days=20), accepted=FLAG - timedelta(days=19))
        referral(case, shelter, sent=FLAG, accepted=FLAG + timedelta(days=days))
        referral(case, shelter, sent=FLAG, accepted=FLAG + timedelta(days=days + 30))
    screening(CaseFactory(), when=FLAG, trafficking="presumed_victim")  # never accepted
    result = protection_metrics(period=Period(2025), region=None)
    assert float(result["median_days_flag_to_accepted"]) == 4.0


def test_two_cases_of_one_person_count_once_with_their_earliest_wait(shelter):  # noqa: F811
    first = CaseFactory()
    second = CaseFactory(person=first.person, organization=first.organization)
    other = CaseFactory()
    for case in (first, second, other):
        screening(case, when=FLAG, trafficking="presumed_victim")
    referral(first, shelter, sent=FLAG, accepted=FLAG + timedelta(days=10))
    referral(second, shelter, sent=FLAG, accepted=FLAG + timedelta(days=2))
    referral(other, shelter, sent=FLAG, accepted=FLAG + timedelta(days=6))
    plan(second, FLAG)
    result = protection_metrics(period=Period(2025), region=None)
    assert result["presumed_victims"] == 2
    assert float(result["presumed_victims_planned_pct"]) == 50.0
    assert float(result["median_days_flag_to_accepted"]) == 4.0
