import pytest

from apps.accounts import demo as accounts_demo
from apps.referrals import demo
from apps.referrals.models import Referral, Service
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
    assert demo.seed() == {"services": 0, "referrals": 0}
