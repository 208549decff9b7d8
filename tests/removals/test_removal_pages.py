"""The removal pages: propose, decide through the gate, override, timeline sentences."""

import pytest
from django.urls import reverse

from apps.cases.models import CaseEvent
from apps.cases.timeline import describe
from apps.removals.models import Removal
from apps.removals.services import removal_propose
from apps.screening.services import screening_create
from tests.screening.patterns import NO_INDICATORS, POSSIBLE

pytestmark = pytest.mark.django_db


def test_an_inspector_proposes_and_is_refused_a_decision_without_screening(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    response = client.post(
        reverse("removals:propose", args=[inspector_case.pk]),
        {"grounds": "overstay", "proposed_on": "2026-01-20"},
    )
    removal = Removal.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("removals:decide", args=[removal.pk]),
        {"decision": "remove", "version": removal.version},
        follow=True,
    )
    assert "Screen the person before deciding" in response.content.decode()
    removal.refresh_from_db()
    assert removal.status == "pending"


def test_an_inspector_decides_after_a_negative_screening(client, inspector_case, inspector):
    screening_create(
        actor=inspector, case=inspector_case, answers=NO_INDICATORS, interview_language="ru"
    )
    removal = removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    client.force_login(inspector)
    client.post(
        reverse("removals:decide", args=[removal.pk]),
        {"decision": "no_removal", "version": removal.version},
    )
    removal.refresh_from_db()
    assert removal.status == "decided_no_removal"


def test_an_administrator_overrides_from_the_page(
    client, inspector_case, inspector, administrator, settings
):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = False
    screening_create(
        actor=inspector, case=inspector_case, answers=POSSIBLE, interview_language="ru"
    )
    removal = removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    client.force_login(administrator)
    page = client.get(reverse("removals:detail", args=[removal.pk])).content.decode()
    assert "Override: decide to remove" in page and "Grounds of public order" in page
    client.post(
        reverse("removals:override", args=[removal.pk]),
        {"decision": "remove", "grounds": "improper_claim",
         "justification": "The court found the claim of exploitation unsupported; order 12/2026.",
         "version": removal.version},
    )  # fmt: skip
    removal.refresh_from_db()
    assert removal.overridden and removal.status == "decided_remove"
    assert removal.override_grounds == "improper_claim" and removal.protected_at_decision


def test_a_caseworker_cannot_propose_from_the_page(client, case_a, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("removals:propose", args=[case_a.pk]), {"grounds": "overstay"})
    assert response.status_code == 403
    assert not Removal.objects.exists()


def test_every_event_reads_as_a_sentence(inspector_case, inspector):
    screening_create(
        actor=inspector, case=inspector_case, answers=POSSIBLE, interview_language="ru"
    )
    removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    sentences = {e.kind: describe(e) for e in CaseEvent.objects.filter(case=inspector_case)}
    assert sentences["screening_completed"].startswith("Screening completed: Possible victim")
    assert sentences["removal_proposed"] == "Removal proposed on the grounds of: Overstay."
    assert "reflection period until" in sentences["removal_suspended"]


def test_the_removals_list_is_scoped(client, case_a, caseworker_a, caseworker_b, inspector):
    removal_propose(actor=inspector, case=case_a, grounds="overstay")
    client.force_login(caseworker_b)
    assert case_a.reference not in client.get(reverse("removals:list")).content.decode()
    client.force_login(caseworker_a)
    assert case_a.reference in client.get(reverse("removals:list")).content.decode()


def test_the_removal_form_links_to_a_screening_when_one_is_needed(client, inspector):
    from tests.cases.factories import CaseFactory

    case = CaseFactory(organization=inspector.organization, created_by=inspector)
    client.force_login(inspector)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("screening:start", args=[case.pk]) in html
    assert "No removal can be decided without a complete screening" in html
