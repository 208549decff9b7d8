"""The screenings API of api.md: create, read, drafts, bad input, permissions and scope."""

import pytest
from django.utils import translation

from apps.audit.models import AuditEntry
from apps.cases.models import Case, CaseEvent
from apps.screening.engine import evaluate, render_reasons
from apps.screening.models import Screening
from tests.cases.factories import CaseFactory
from tests.screening.patterns import INCOMPLETE, NO_INDICATORS, POSSIBLE, PRESUMED, payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/screenings/"


def test_an_inspector_screens_a_case_and_the_stored_result_is_the_engines(
    api, inspector_case, inspector
):
    response = api.as_user(inspector).post(
        URL,
        payload(
            inspector_case,
            PRESUMED,
            debt={"amount": "150000", "currency": "KZT", "creditor": "employer"},
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    screening = Screening.objects.get(pk=body["id"])
    expected = evaluate(PRESUMED)
    assert screening.result == expected.to_dict()
    assert screening.trafficking == "presumed_victim" == body["result"]["trafficking"]
    assert body["result"]["forced_labour"] is True and body["result"]["debt_coercion"] is True
    assert body["result"]["elements"] == {
        "recruitment": True,
        "exploitation": True,
        "coercion": True,
    }
    assert len(body["result"]["dimensions"]) == 6
    assert body["result"]["dimensions"]["coercion_destination"] == {
        "strong": 2, "medium": 0, "weak": 0, "positive": True,
    }  # fmt: skip
    assert body["result"]["reasons"] == render_reasons(expected, "en")
    assert body["catalogue_version"] == "delphi-2009+debt-2"
    assert body["indicator_list"] == "adult_labour"
    assert body["completed_at"] and body["screened_by"]["id"] == inspector.pk
    assert body["debt"] == {"amount": "150000.00", "currency": "KZT", "creditor": "employer"}
    assert body["status"] == "complete"


def test_the_reasons_follow_accept_language(api, inspector_case, inspector):
    response = api.as_user(inspector).post(
        URL, payload(inspector_case, POSSIBLE), HTTP_ACCEPT_LANGUAGE="kk"
    )
    assert response.status_code == 201
    reasons = response.json()["result"]["reasons"]
    assert reasons == render_reasons(evaluate(POSSIBLE), "kk")
    assert reasons != render_reasons(evaluate(POSSIBLE), "en")


@pytest.mark.parametrize(
    ("answers", "risk", "victim_status"),
    [
        (PRESUMED, "high", "presumed"),
        (POSSIBLE, "medium", "possible"),
        (INCOMPLETE, "unknown", "not_assessed"),
        (NO_INDICATORS, "low", "not_assessed"),
    ],
)
def test_the_case_risk_and_victim_status_follow_the_result(
    api, inspector_case, inspector, answers, risk, victim_status
):
    assert api.as_user(inspector).post(URL, payload(inspector_case, answers)).status_code == 201
    inspector_case.refresh_from_db()
    assert inspector_case.risk_level == risk
    assert inspector_case.victim_status == victim_status


def test_the_latest_complete_screening_counts_but_a_negative_one_never_clears_the_victim_status(
    api, inspector_case, inspector
):
    client = api.as_user(inspector)
    client.post(URL, payload(inspector_case, POSSIBLE))
    client.post(URL, payload(inspector_case, NO_INDICATORS))
    inspector_case.refresh_from_db()
    assert inspector_case.risk_level == "low"
    assert inspector_case.victim_status == "possible"


def test_completion_is_on_the_timeline_and_in_the_audit_log(api, inspector_case, inspector):
    body = api.as_user(inspector).post(URL, payload(inspector_case, POSSIBLE)).json()
    event = CaseEvent.objects.get(case=inspector_case, kind="screening_completed")
    assert event.data["screening_id"] == body["id"]
    assert event.data["trafficking"] == "possible_victim"
    assert AuditEntry.objects.filter(
        target_type="screening.screening", target_id=str(body["id"]), action="create"
    ).exists()


def test_a_draft_is_saved_then_completed_later(api, inspector_case, inspector):
    client = api.as_user(inspector)
    draft = client.post(
        URL, payload(inspector_case, {"cd_documents": "yes"}, status="draft")
    ).json()
    assert draft["status"] == "draft" and draft["result"] is None
    inspector_case.refresh_from_db()
    assert inspector_case.risk_level == "not_screened"
    updated = client.patch(
        f"{URL}{draft['id']}/", {"version": draft["version"], "answers": POSSIBLE}
    )
    assert updated.status_code == 200, updated.json()
    stale = client.patch(f"{URL}{draft['id']}/", {"version": draft["version"], "answers": {}})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    done = client.post(f"{URL}{draft['id']}/complete/", {"version": updated.json()["version"]})
    assert done.status_code == 200, done.json()
    assert done.json()["result"]["trafficking"] == "possible_victim"
    again = client.post(f"{URL}{draft['id']}/complete/", {})
    assert again.status_code == 409 and again.json()["code"] == "already_complete"


def test_only_the_interviewer_changes_a_draft(api, inspector_case, inspector, inspectorate):
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(role="inspector", organization=inspectorate)
    draft = api.as_user(inspector).post(URL, payload(inspector_case, {}, status="draft")).json()
    response = api.as_user(colleague).post(f"{URL}{draft['id']}/complete/", {})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"xx_made_up": "yes"}}, "answers"),
        ({"answers": {"cd_documents": "maybe"}}, "answers"),
        ({"answers": ["cd_documents"]}, "answers"),
        ({"debt": {"amount": "100", "currency": "XYZ"}}, "debt"),
        ({"debt": {"amount": "100", "currency": "KZT", "creditor": "landlord"}}, "debt"),
        ({"debt": {"amount": "lots", "currency": "KZT"}}, "debt"),
        ({"debt": {"amount": "-5", "currency": "KZT"}}, "debt"),
        ({"debt": {"amount": "100"}}, "debt"),
        ({"debt": {"amount": "100", "currency": "KZT", "interest": "30%"}}, "debt"),
        ({"interview_language": "klingon"}, "interview_language"),
        ({"interview_language": ""}, "interview_language"),
        ({"case": 999999}, "case"),
    ],
)
def test_bad_input_is_a_clear_400_and_saves_nothing(api, inspector_case, inspector, change, field):
    before = (Screening.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count())
    response = api.as_user(inspector).post(URL, {**payload(inspector_case, POSSIBLE), **change})
    assert response.status_code == 400
    assert field in response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])
    after = (Screening.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count())
    assert after == before
    inspector_case.refresh_from_db()
    assert inspector_case.risk_level == "not_screened"


def test_an_unknown_code_is_named_in_the_error_in_the_request_language(
    api, inspector_case, inspector
):
    response = api.as_user(inspector).post(
        URL, payload(inspector_case, {"xx_made_up": "yes"}), HTTP_ACCEPT_LANGUAGE="ru"
    )
    message = response.json()["answers"][0]
    assert "xx_made_up" in message
    with translation.override("ru"):
        assert message.startswith(
            translation.gettext("“%(code)s” is not an indicator of catalogue %(version)s.")[:1]
        )


def test_a_case_the_user_may_not_see_answers_like_one_that_does_not_exist(
    api, case_a, caseworker_b
):
    seen = api.as_user(caseworker_b).post(URL, payload(case_a, POSSIBLE))
    missing = api.as_user(caseworker_b).post(URL, {**payload(case_a, POSSIBLE), "case": 999999})
    assert seen.status_code == missing.status_code == 400
    assert seen.json() == missing.json()
    assert Screening.objects.count() == 0


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_administrators_and_auditors_do_not_screen(api, request, case_a, persona):
    user = request.getfixturevalue(persona)
    response = api.as_user(user).post(URL, payload(case_a, POSSIBLE))
    assert response.status_code == 403
    assert Screening.objects.count() == 0


def test_a_caseworker_screens_her_own_case(api, case_a, caseworker_a):
    response = api.as_user(caseworker_a).post(URL, payload(case_a, NO_INDICATORS))
    assert response.status_code == 201
    assert response.json()["inspector_certified"] is None


def test_a_closed_case_is_not_screened(api, case_a, caseworker_a):
    Case.objects.filter(pk=case_a.pk).update(status="closed")
    response = api.as_user(caseworker_a).post(URL, payload(case_a, POSSIBLE))
    assert response.status_code == 409 and response.json()["code"] == "case_closed"
    assert Screening.objects.count() == 0


def test_ngo_b_never_sees_ngo_a_screenings(api, case_a, caseworker_a, caseworker_b):
    screening_id = api.as_user(caseworker_a).post(URL, payload(case_a, POSSIBLE)).json()["id"]
    assert api.as_user(caseworker_b).get(URL).json()["count"] == 0
    assert api.as_user(caseworker_b).get(f"{URL}{screening_id}/").status_code == 404
    assert api.as_user(caseworker_a).get(f"{URL}{screening_id}/").status_code == 200


def test_auditors_read_every_screening_and_the_read_is_audited(api, case_a, caseworker_a, auditor):
    screening_id = api.as_user(caseworker_a).post(URL, payload(case_a, POSSIBLE)).json()["id"]
    assert api.as_user(auditor).get(URL).json()["count"] == 1
    assert api.as_user(auditor).get(f"{URL}{screening_id}/").status_code == 200
    assert AuditEntry.objects.filter(
        actor=auditor, action="read", target_type="screening.screening"
    ).exists()


def test_the_list_filters_by_result(api, case_a, caseworker_a):
    client = api.as_user(caseworker_a)
    client.post(URL, payload(case_a, POSSIBLE))
    client.post(URL, payload(case_a, NO_INDICATORS))
    body = client.get(URL, {"trafficking": "possible_victim"}).json()
    assert body["count"] == 1


def test_the_list_query_count_does_not_grow_with_the_page(
    api, ngo_a, caseworker_a, django_assert_max_num_queries
):
    from apps.screening.services import screening_create

    for _ in range(12):
        case = CaseFactory(organization=ngo_a, created_by=caseworker_a)
        screening_create(actor=caseworker_a, case=case, answers=POSSIBLE, interview_language="ru")
    client = api.as_user(caseworker_a)
    with django_assert_max_num_queries(6):
        small = client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(6):
        large = client.get(URL, {"page_size": 12})
    assert small.json()["count"] == large.json()["count"] == 12
    assert len(large.json()["results"]) == 12


def test_the_indicators_list_the_catalogue_in_the_request_language(api, caseworker_a):
    client = api.as_user(caseworker_a)
    body = client.get("/api/v1/indicators/", {"page_size": 200}).json()
    codes = [row["code"] for row in body["results"]]
    assert body["count"] == len(codes) and "cd_debt_bondage" in codes
    row = next(r for r in body["results"] if r["code"] == "cd_debt_bondage")
    assert (row["dimension"], row["strength"], row["role"]) == (
        "coercion_destination",
        "strong",
        "P",
    )
    kk = client.get("/api/v1/indicators/", {"dimension": "debt"}, HTTP_ACCEPT_LANGUAGE="kk").json()
    assert {r["dimension"] for r in kk["results"]} == {"debt"}
    assert kk["results"][0]["text"] != body["results"][-6]["text"]
    assert client.get("/api/v1/indicators/", {"dimension": "nope"}).status_code == 400
