import pytest
from django.http import Http404
from django.utils import translation

from apps.audit.models import AuditEntry
from apps.cases.selectors import case_get_for_user
from apps.referrals.models import Referral
from tests.cases.factories import CaseFactory

from .factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/services/"
REFERRALS = "/api/v1/referrals/"


def _create_body(case, service, **overrides):
    return {
        "case": case.pk,
        "service": service.pk,
        "consent_given": True,
        "reason": "Needs a lawyer for unpaid wages.",
        "urgency": "routine",
    } | overrides


# --- services ------------------------------------------------------------------------------


def test_the_directory_lists_services_with_the_fields_of_api_md(api, caseworker_a, shelter_b):
    response = api.as_user(caseworker_a).get(SERVICES)
    assert response.status_code == 200
    [item] = response.json()["results"]
    for field in ["id", "organization", "service_type", "regions", "languages", "capacity",
                  "accepting", "version"]:  # fmt: skip
        assert field in item
    assert item["regions"] == ["almaty_city"] and item["languages"] == ["ru", "uz"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"service_type": "legal_aid"}, {"Legal"}),
        ({"region": "shymkent"}, {"Legal"}),
        ({"region": "almaty_city"}, {"Almaty shelter"}),
        ({"language": "uz"}, {"Almaty shelter"}),
        ({"language": "TG"}, {"Legal"}),
        ({"accepting": "false"}, {"Legal"}),
        ({"accepting": "true"}, {"Almaty shelter"}),
    ],
)
def test_the_directory_filters_by_type_region_language_and_accepting(
    api, caseworker_a, shelter_b, ngo_c, query, expected
):
    ServiceFactory(organization=ngo_c, name="Legal", service_type="legal_aid",
                   regions=["shymkent"], languages=["tg", "ru"], accepting=False)  # fmt: skip
    response = api.as_user(caseworker_a).get(SERVICES, query)
    assert {item["name"] for item in response.json()["results"]} == expected


def test_an_unknown_filter_value_is_a_400(api, caseworker_a):
    response = api.as_user(caseworker_a).get(SERVICES, {"region": "atlantis"})
    assert response.status_code == 400 and "region" in response.json()


def test_the_directory_costs_the_same_queries_for_any_page_size(
    api, caseworker_a, ngo_b, django_assert_max_num_queries
):
    for _ in range(12):
        ServiceFactory(organization=ngo_b, regions=["astana", "akmola"])
    client = api.as_user(caseworker_a)
    with django_assert_max_num_queries(5):
        assert len(client.get(SERVICES, {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(5):
        assert len(client.get(SERVICES, {"page_size": 200}).json()["results"]) == 12


def test_a_member_creates_a_service_for_their_organisation(api, caseworker_a, ngo_a):
    body = {"service_type": "legal_aid", "name": "Clinic", "regions": ["astana"],
            "languages": ["ru"], "capacity": 3}  # fmt: skip
    response = api.as_user(caseworker_a).post(SERVICES, body)
    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == ngo_a.pk


def test_service_writes_are_refused_to_other_organisations_and_auditors(
    api, caseworker_a, auditor, shelter_b, ngo_b
):
    patch = api.as_user(caseworker_a).patch(f"{SERVICES}{shelter_b.pk}/", {"capacity": 0})
    assert patch.status_code == 403
    body = {"organization": ngo_b.pk, "service_type": "medical", "name": "X",
            "regions": ["astana"], "languages": ["ru"]}  # fmt: skip
    assert api.as_user(caseworker_a).post(SERVICES, body).status_code == 403
    assert (
        api.as_user(auditor).patch(f"{SERVICES}{shelter_b.pk}/", {"capacity": 0}).status_code == 403
    )
    shelter_b.refresh_from_db()
    assert shelter_b.capacity == 4


def test_the_offering_organisation_and_administrators_update_a_service(
    api, caseworker_b, administrator, shelter_b
):
    url = f"{SERVICES}{shelter_b.pk}/"
    response = api.as_user(caseworker_b).patch(url, {"capacity": 0, "version": 1})
    assert response.status_code == 200 and response.json()["capacity"] == 0
    assert response.json()["regions"] == ["almaty_city"]
    stale = api.as_user(administrator).patch(url, {"accepting": False, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    fresh = api.as_user(administrator).patch(url, {"accepting": False, "version": 2})
    assert fresh.status_code == 200 and fresh.json()["accepting"] is False


def test_a_service_with_bad_input_is_a_400_with_field_errors(api, caseworker_a):
    body = {"service_type": "spa", "name": "", "regions": [], "languages": ["russian"]}
    response = api.as_user(caseworker_a).post(SERVICES, body)
    assert response.status_code == 400
    assert {"service_type", "name", "regions", "languages"} <= set(response.json())


def test_matches_rank_services_for_a_case(api, caseworker_a, case_a, shelter_b, ngo_c):
    ServiceFactory(organization=ngo_c, name="Far away", regions=["shymkent"], languages=["uz"])
    response = api.as_user(caseworker_a).get(f"{SERVICES}matches/", {"case": case_a.pk})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["service"]["name"] for r in results] == ["Almaty shelter", "Far away"]
    assert results[0]["reasons"] == ["region", "language", "capacity"]


def test_matches_for_a_case_the_user_cannot_see_are_a_404(api, caseworker_b, case_a, shelter_b):
    response = api.as_user(caseworker_b).get(f"{SERVICES}matches/", {"case": case_a.pk})
    assert response.status_code == 404
    assert api.as_user(caseworker_b).get(f"{SERVICES}matches/").status_code == 400


# --- referrals: sending --------------------------------------------------------------------


def test_a_referral_is_created_as_sent(api, caseworker_a, case_a, shelter_b):
    response = api.as_user(caseworker_a).post(REFERRALS, _create_body(case_a, shelter_b))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "sent" and body["consent_given"] is True
    assert body["case"] == case_a.pk and body["receiving_organization"] == shelter_b.organization_id


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_referral_without_consent_is_a_400_with_a_translated_message(
    api, caseworker_a, case_a, shelter_b, language
):
    body = _create_body(case_a, shelter_b, consent_given=False)
    response = api.as_user(caseworker_a).post(REFERRALS, body, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    with translation.override(language):
        expected = translation.gettext(
            "Record the person's informed consent before sending a referral: nothing is "
            "shared with another organisation without it."
        )
    assert response.json()["consent_given"] == [expected]
    if language != "en":
        assert "consent" not in expected
    assert not Referral.objects.exists()


def test_a_referral_missing_consent_altogether_is_refused(api, caseworker_a, case_a, shelter_b):
    body = _create_body(case_a, shelter_b)
    del body["consent_given"]
    response = api.as_user(caseworker_a).post(REFERRALS, body)
    assert response.status_code == 400 and "consent_given" in response.json()


def test_a_referral_of_a_case_the_user_cannot_see_is_refused(api, caseworker_b, case_a, shelter_b):
    response = api.as_user(caseworker_b).post(REFERRALS, _create_body(case_a, shelter_b))
    assert response.status_code == 400 and "case" in response.json()


def test_administrators_and_auditors_do_not_send_referrals(
    api, administrator, auditor, case_a, shelter_b
):
    assert (
        api.as_user(administrator).post(REFERRALS, _create_body(case_a, shelter_b)).status_code
        == 403
    )
    assert api.as_user(auditor).post(REFERRALS, _create_body(case_a, shelter_b)).status_code == 403


# --- referrals: who sees what --------------------------------------------------------------


@pytest.fixture
def referral(case_a, shelter_b, caseworker_a):
    return ReferralFactory(
        case=case_a,
        service=shelter_b,
        sent_by=caseworker_a,
        shared_fields=["name", "languages"],
        contact_details="+7 701 000 00 00",
    )


def test_ngo_c_never_sees_ngo_as_referrals(api, caseworker_c, referral):
    client = api.as_user(caseworker_c)
    assert client.get(REFERRALS).json()["count"] == 0
    assert client.get(f"{REFERRALS}{referral.pk}/").status_code == 404
    for action in ["accept", "decline", "complete", "withdraw"]:
        response = client.post(
            f"{REFERRALS}{referral.pk}/{action}/", {"reason": "x", "outcome": "x"}
        )
        assert response.status_code == 404


def test_ngo_b_sees_only_the_referrals_sent_to_it(api, caseworker_b, referral, ngo_a, ngo_c):
    other_case = CaseFactory(organization=ngo_a)
    ReferralFactory(case=other_case, service=ServiceFactory(organization=ngo_c))
    response = api.as_user(caseworker_b).get(REFERRALS)
    assert [item["id"] for item in response.json()["results"]] == [referral.pk]


def test_the_receiving_side_sees_only_what_the_consent_covers(api, caseworker_b, referral):
    body = api.as_user(caseworker_b).get(f"{REFERRALS}{referral.pk}/").json()
    assert body["person"] == {"given_name": "Aziz", "family_name": "Karimov",
                              "languages": ["uz", "ru"]}  # fmt: skip
    for hidden in ["case", "case_reference", "contact_details"]:
        assert hidden not in body
    assert "1995" not in str(body) and "+7 701" not in str(body)
    listed = api.as_user(caseworker_b).get(REFERRALS).json()["results"][0]
    assert "case" not in listed and listed["person"]["given_name"] == "Aziz"


def test_the_case_stays_hidden_from_the_receiving_organisation(caseworker_b, referral):
    with pytest.raises(Http404):
        case_get_for_user(caseworker_b, case_id=referral.case_id)


def test_the_sending_side_and_oversight_see_the_full_referral(api, caseworker_a, auditor, referral):
    for user in (caseworker_a, auditor):
        body = api.as_user(user).get(f"{REFERRALS}{referral.pk}/").json()
        assert body["case"] == referral.case_id and "person" not in body


def test_every_read_of_a_referral_is_audited(api, caseworker_b, referral):
    api.as_user(caseworker_b).get(f"{REFERRALS}{referral.pk}/")
    api.as_user(caseworker_b).get(REFERRALS)
    reads = AuditEntry.objects.filter(action="read", target_type="referrals.referral")
    assert reads.filter(target_id=str(referral.pk)).count() == 1
    assert reads.get(target_id="list").details == {"ids": [referral.pk]}


def test_referral_lists_filter_by_box_and_status(api, caseworker_a, caseworker_b, referral):
    assert api.as_user(caseworker_a).get(REFERRALS, {"box": "incoming"}).json()["count"] == 0
    assert api.as_user(caseworker_a).get(REFERRALS, {"box": "outgoing"}).json()["count"] == 1
    assert api.as_user(caseworker_b).get(REFERRALS, {"status": "accepted"}).json()["count"] == 0
    assert api.as_user(caseworker_b).get(REFERRALS, {"status": "sent"}).json()["count"] == 1


def test_the_referral_list_costs_the_same_queries_for_any_page_size(
    api, caseworker_b, case_a, shelter_b, caseworker_a, django_assert_max_num_queries
):
    for _ in range(10):
        ReferralFactory(case=case_a, service=shelter_b, sent_by=caseworker_a)
    client = api.as_user(caseworker_b)
    with django_assert_max_num_queries(7):
        assert len(client.get(REFERRALS, {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(7):
        assert len(client.get(REFERRALS, {"page_size": 200}).json()["results"]) == 10


# --- referrals: actions --------------------------------------------------------------------


def test_the_receiving_organisation_accepts_and_completes(api, caseworker_b, referral):
    client = api.as_user(caseworker_b)
    accepted = client.post(f"{REFERRALS}{referral.pk}/accept/", {"version": 1})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    completed = client.post(f"{REFERRALS}{referral.pk}/complete/", {"outcome": "Housed."})
    assert completed.status_code == 200 and completed.json()["status"] == "completed"
    assert completed.json()["outcome"] == "Housed."


def test_the_receiving_organisation_declines_with_a_reason(api, caseworker_b, referral):
    client = api.as_user(caseworker_b)
    missing = client.post(f"{REFERRALS}{referral.pk}/decline/", {"reason": ""})
    assert missing.status_code == 400 and "reason" in missing.json()
    declined = client.post(f"{REFERRALS}{referral.pk}/decline/", {"reason": "No beds free."})
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "No beds free."


@pytest.mark.parametrize("persona", ["caseworker_a", "administrator", "auditor"])
@pytest.mark.parametrize("action", ["accept", "decline", "complete"])
def test_those_who_see_a_referral_but_do_not_receive_it_get_403(
    api, request, referral, persona, action
):
    client = api.as_user(request.getfixturevalue(persona))
    response = client.post(f"{REFERRALS}{referral.pk}/{action}/", {"reason": "x", "outcome": "x"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_only_the_sending_organisation_withdraws(api, caseworker_a, caseworker_b, referral):
    assert api.as_user(caseworker_b).post(f"{REFERRALS}{referral.pk}/withdraw/").status_code == 403
    response = api.as_user(caseworker_a).post(f"{REFERRALS}{referral.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("status", "action"),
    [("accepted", "accept"), ("declined", "decline"), ("sent", "complete"),
     ("completed", "complete"), ("withdrawn", "accept")],
)  # fmt: skip
def test_a_wrong_state_transition_is_a_409_invalid_transition(
    api, caseworker_b, case_a, shelter_b, caseworker_a, status, action
):
    referral = ReferralFactory(case=case_a, service=shelter_b, sent_by=caseworker_a, status=status)
    response = api.as_user(caseworker_b).post(
        f"{REFERRALS}{referral.pk}/{action}/", {"reason": "x", "outcome": "x"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition" and response.json()["detail"]


def test_withdrawing_a_closed_referral_is_a_409(api, caseworker_a, case_a, shelter_b):
    referral = ReferralFactory(case=case_a, service=shelter_b, sent_by=caseworker_a,
                               status="completed")  # fmt: skip
    response = api.as_user(caseworker_a).post(f"{REFERRALS}{referral.pk}/withdraw/")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_an_answer_from_a_stale_version_is_a_409(api, caseworker_b, referral):
    client = api.as_user(caseworker_b)
    client.post(f"{REFERRALS}{referral.pk}/accept/", {"version": 1})
    response = client.post(f"{REFERRALS}{referral.pk}/complete/", {"outcome": "x", "version": 1})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_the_schema_documents_services_and_referrals(client, caseworker_a):
    client.force_login(caseworker_a)
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ["/api/v1/services/", "/api/v1/services/matches/", "/api/v1/referrals/",
                 "/api/v1/referrals/{id}/accept/", "/api/v1/referrals/{id}/decline/"]:  # fmt: skip
        assert path in paths
