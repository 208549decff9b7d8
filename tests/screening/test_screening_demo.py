"""The demo data loads on demo-like cases, twice without harm."""

import pytest

from apps.removals import demo as removals_demo
from apps.removals.models import Removal
from apps.screening import demo as screening_demo
from apps.screening.models import Screening
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_screenings_and_removals_idempotently():
    assert screening_demo.seed() == {"screenings": 0}
    assert removals_demo.seed() == {"removals": 0}
    inspectorate = OrganizationFactory(name="Demo Inspectorate", kind="labour_inspectorate")
    UserFactory(username="demo.inspector", role="inspector", organization=inspectorate)
    UserFactory(username="demo.admin", role="administrator", organization=None)
    ngo = OrganizationFactory(name="Demo NGO", kind="ngo")
    for i in range(12):
        CaseFactory(organization=inspectorate if i % 2 else ngo)
    first = screening_demo.seed()
    removals = removals_demo.seed()
    assert first["screenings"] >= 12
    results = set(Screening.objects.values_list("trafficking", flat=True))
    assert {"presumed_victim", "possible_victim", "no_indicators", "incomplete"} <= results
    years = {s.completed_at.year for s in Screening.objects.all()}
    assert len(years) >= 3
    assert removals["removals"] > 0
    assert Removal.objects.filter(overridden=True).count() == 1
    assert Removal.objects.filter(screened_before_decision=False).exists()
    assert Removal.objects.filter(screened_before_decision=True).exists()
    assert screening_demo.seed() == first
    assert removals_demo.seed() == removals
