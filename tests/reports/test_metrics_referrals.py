"""Referral and partnership metrics against apps.referrals."""

from datetime import timedelta

import pytest

from apps.reports.metrics import Period, partnership_metrics, protection_metrics
from tests.accounts.factories import OrganizationFactory
from tests.cases.factories import CaseFactory
from tests.referrals.factories import ReferralFactory, ServiceFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter():
    return ServiceFactory(organization=OrganizationFactory(kind="ngo"), service_type="shelter")


def referral(case, service, *, sent, accepted=None, completed=None):
    status = "completed" if completed else "accepted" if accepted else "sent"
    return ReferralFactory(
        case=case,
        service=service,
        status=status,
        consent_given_at=sent,
        sent_at=sent,
        accepted_at=accepted,
        completed_at=completed,
    )


def test_referrals_count_each_step_by_its_own_date(shelter):
    case = CaseFactory()
    referral(case, shelter, sent=at(2024, 12, 30), accepted=at(2025, 1, 3))
    referral(case, shelter, sent=at(2025, 2, 1), accepted=at(2025, 2, 2), completed=at(2025, 4, 1))
    result = protection_metrics(period=Period(2025), region=None)
    assert (result["referrals_sent"], result["referrals_accepted"]) == (1, 2)
    assert result["referrals_completed"] == 1


def test_presumed_victims_referred_within_seven_days_of_the_flagging_screening(shelter):
    on_time, late, never = CaseFactory(), CaseFactory(), CaseFactory()
    for case in (on_time, late, never):
        screening(case, when=at(2025, 3, 1), trafficking="presumed_victim")
    referral(on_time, shelter, sent=at(2025, 3, 1) + timedelta(days=6))
    referral(late, shelter, sent=at(2025, 3, 1) + timedelta(days=9))
    result = protection_metrics(period=Period(2025), region=None)
    assert result["presumed_victims"] == 3
    assert float(result["presumed_victims_referred_pct"]) == pytest.approx(33.3)


def test_partnership_counts_ngos_service_types_and_the_median_wait(shelter):
    legal = ServiceFactory(organization=OrganizationFactory(kind="ngo"), service_type="legal_aid")
    case = CaseFactory()
    for days, service in ((1, shelter), (3, shelter), (10, legal)):
        referral(case, service, sent=at(2025, 5, 1), accepted=at(2025, 5, 1) + timedelta(days=days))
    result = partnership_metrics(period=Period(2025), region=None)
    assert result["ngos_receiving_referrals"] == 2
    assert result["referrals_by_service_type"]["shelter"] == 2
    assert result["referrals_by_service_type"]["legal_aid"] == 1
    assert float(result["median_days_to_accept"]) == 3.0


def test_only_ngos_receiving_referrals_are_counted_once_each(shelter):
    police = ServiceFactory(organization=OrganizationFactory(kind="police"), service_type="hotline")
    for service in (shelter, shelter, police):
        referral(CaseFactory(), service, sent=at(2025, 5, 1))
    referral(CaseFactory(), ServiceFactory(), sent=at(2024, 5, 1))  # another year
    result = partnership_metrics(period=Period(2025), region=None)
    assert result["ngos_receiving_referrals"] == 1
    assert result["referrals_by_service_type"]["hotline"] == 1
