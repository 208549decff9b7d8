import pytest

from apps.accounts import demo as accounts_demo
from apps.referrals import demo
from apps.referrals.models import AssistanceRefusal, Referral, Service
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_adds_services_and_referrals_once(django_capture_on_commit_callbacks):
    accounts_demo.seed()
    assert demo.seed()["referrals"] == 0, "no demo cases yet: referrals are skipped"
    from apps.accounts.models import Organization, User

    for name in ["Astana Migrant Support Centre", "Almaty Legal Aid for Migrants"]:
        org = Organization.objects.get(name=name)
        creator = User.objects.filter(organization=org, role="caseworker").order_by("pk").first()
        CaseFactory(organization=org, created_by=creator)
    first = demo.seed()
    assert first["services"] == 0 and first["referrals"] == 2
    assert Service.objects.count() == len(demo.SERVICES)
    assert set(Referral.objects.values_list("status", flat=True)) == {"sent", "accepted"}
    assert demo.seed() == {"services": 0, "referrals": 0, "refusals": 0}


def test_the_demo_records_a_flagged_persons_refusal_once(django_capture_on_commit_callbacks):
    accounts_demo.seed()
    from apps.accounts.models import Organization, User

    org = Organization.objects.get(name="Astana Migrant Support Centre")
    creator = User.objects.filter(organization=org, role="caseworker").order_by("pk").first()
    CaseFactory(organization=org, created_by=creator, victim_status="presumed")
    flagged = CaseFactory(organization=org, created_by=creator, victim_status="possible")
    assert demo.seed()["refusals"] == 1
    # The first case got the referral; the refusal goes to the flagged case nobody referred.
    assert AssistanceRefusal.objects.get().case == flagged
    assert demo.seed()["refusals"] == 0
