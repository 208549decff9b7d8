import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.caseplans import services
from apps.caseplans.models import CasePlan, Goal, NeedArea
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(caseworker_a):
    return CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)


def assessment(plan=None, **levels):
    data = {"action": "assess", "version": plan.version if plan else ""}
    for area in NeedArea.values:
        data[f"{area}_level"] = levels.get(area, "none")
        data[f"{area}_notes"] = ""
    return data


def test_the_case_page_links_to_the_plan_and_the_plan_page_saves_the_assessment(
    client, caseworker_a, case_a
):
    client.force_login(caseworker_a)
    case_page = client.get(reverse("cases:detail", args=[case_a.pk]))
    url = reverse("caseplans:plan", args=[case_a.pk])
    assert url in case_page.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, assessment(shelter="urgent"))
    assert response.status_code == 302
    plan = CasePlan.objects.get(case=case_a)
    assert plan.needs.get(area="shelter").level == "urgent"


def test_a_bad_goal_is_a_400_that_keeps_what_was_typed_and_saves_nothing(
    client, caseworker_a, case_a
):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    client.force_login(caseworker_a)
    past = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("caseplans:plan", args=[case_a.pk]),
        {"action": "goal", "version": plan.version, "area": "shelter",
         "description": "Shelter place", "due_on": past},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Shelter place" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_stale_form_answers_409(client, caseworker_a, case_a):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=plan.version, needs={"health": {"level": "need"}}
    )
    client.force_login(caseworker_a)
    response = client.post(reverse("caseplans:plan", args=[case_a.pk]), assessment(plan))
    assert response.status_code == 409
    assert CasePlan.objects.get().needs.get(area="health").level == "need"


def test_an_unknown_action_is_a_400(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("caseplans:plan", args=[case_a.pk]), {"action": "delete"})
    assert response.status_code == 400
    assert not CasePlan.objects.exists()


def test_another_organisation_sees_neither_the_page_nor_the_printout(
    client, caseworker_a, caseworker_b, case_a
):
    services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    client.force_login(caseworker_b)
    assert client.get(reverse("caseplans:plan", args=[case_a.pk])).status_code == 404
    assert client.get(reverse("caseplans:pdf", args=[case_a.pk])).status_code == 404
    assert client.post(reverse("caseplans:plan", args=[case_a.pk]), assessment()).status_code == 404


def test_an_auditor_reads_the_plan_without_forms(client, auditor, caseworker_a, case_a):
    services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    client.force_login(auditor)
    page = client.get(reverse("caseplans:plan", args=[case_a.pk]))
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert client.post(reverse("caseplans:plan", args=[case_a.pk]), assessment()).status_code == 403


@pytest.mark.parametrize(("languages", "expected"), [(["kk", "ru"], "kk"), (["uz", "ru"], "ru")])
def test_the_printout_is_a_pdf_in_the_persons_language(
    client, caseworker_a, case_a, languages, expected
):
    case_a.person.languages = languages
    case_a.person.save()
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    services.caseplan_goal_add(
        actor=caseworker_a, case=case_a, version=plan.version, area="shelter",
        description="Shelter place", due_on=timezone.localdate(),
    )  # fmt: skip
    client.force_login(caseworker_a)
    response = client.get(reverse("caseplans:pdf", args=[case_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert case_a.reference in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    from apps.caseplans.views import print_language

    class Request:
        GET = {}

    assert print_language(Request, case_a) == expected
