"""The case page's protection section and the removal page's enforcement (issue 16)."""

import pytest
from django.urls import reverse

from apps.cases.models import Person
from apps.protection.models import Identification
from apps.removals.services import removal_decide, removal_propose
from apps.screening.services import screening_create
from apps.screening.views import case_url
from tests.screening.patterns import NO_INDICATORS

pytestmark = pytest.mark.django_db


def test_a_caseworker_records_grounds_from_the_case_page_in_russian(client, case_a, caseworker_a):
    client.force_login(caseworker_a)
    client.cookies["casemgr_language"] = "ru"
    page = client.get(case_url(case_a)).content.decode()
    assert "Статус защиты" in page and "Зафиксировать разумные основания" in page
    short = client.post(
        reverse("protection:grounds", args=[case_a.pk]), {"level": "possible", "grounds": "x"}
    )
    assert short.status_code == 302
    assert Person.objects.get(pk=case_a.person_id).protection_status == "not_assessed"
    client.post(
        reverse("protection:grounds", args=[case_a.pk]),
        {"level": "possible", "grounds": "The recruiter holds the passport against a debt."},
    )
    assert Person.objects.get(pk=case_a.person_id).protection_status == "possible"
    page = client.get(case_url(case_a)).content.decode()
    assert "Возможная жертва" in page and "История статуса защиты" in page


def test_only_authorities_see_the_identification_form(
    client, case_a, caseworker_a, administrator, settings
):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = False
    client.force_login(caseworker_a)
    assert "Record a formal identification" not in client.get(case_url(case_a)).content.decode()
    forbidden = client.post(reverse("protection:identification", args=[case_a.pk]), {})
    assert forbidden.status_code == 403
    client.force_login(administrator)
    assert "Record a formal identification" in client.get(case_url(case_a)).content.decode()
    client.post(
        reverse("protection:identification", args=[case_a.pk]),
        {
            "authority": "Department of Police",
            "decision_number": "5/2026",
            "decided_on": "2026-01-15",
            "outcome": "identified",
        },
    )
    assert Identification.objects.get().outcome == "identified"
    assert "5/2026" in client.get(case_url(case_a)).content.decode()


def test_the_removal_page_offers_enforcement_of_a_decided_removal(
    client, inspector_case, inspector
):
    screening_create(
        actor=inspector, case=inspector_case, answers=NO_INDICATORS, interview_language="ru"
    )
    removal = removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    removal = removal_decide(actor=inspector, removal=removal, decision="remove")
    client.force_login(inspector)
    page = client.get(reverse("removals:detail", args=[removal.pk])).content.decode()
    assert "Record the enforcement" in page
    client.post(reverse("removals:enforce", args=[removal.pk]), {"version": removal.version})
    removal.refresh_from_db()
    assert removal.enforced_at is not None and removal.enforced_by == inspector
