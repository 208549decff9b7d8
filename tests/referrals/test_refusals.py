"""The close rule for flagged people, and refusals of assistance, through the API and the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.models import AuditEntry
from apps.cases import timeline
from apps.cases.models import CaseEvent
from apps.cases.retention import case_anonymise
from apps.referrals.models import AssistanceRefusal
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

REFUSALS = "/api/v1/assistance-refusals/"
REFERRALS = "/api/v1/referrals/"
FLAGGED = ["possible", "presumed", "identified"]


def _close(client, case):
    case.refresh_from_db()
    return client.post(
        f"/api/v1/cases/{case.pk}/close/", {"version": case.version, "outcome": "Went home."}
    )


def _refusal(case, **overrides):
    return {
        "case": case.pk,
        "refused_on": timezone.localdate().isoformat(),
        "informed_of_rights": True,
        "notes": "Wants to travel home with relatives; declined the shelter.",
    } | overrides


def _refer(client, case, service):
    response = client.post(
        REFERRALS,
        {"case": case.pk, "service": service.pk, "consent_given": True, "reason": "Shelter."},
    )
    assert response.status_code == 201
    return response.json()


@pytest.fixture
def flagged_case(case_a, request):
    case_a.victim_status = getattr(request, "param", "presumed")
    case_a.save()
    return case_a


def _nothing_written(case):
    assert not AssistanceRefusal.objects.exists()
    assert not CaseEvent.objects.filter(case=case, kind="assistance_refused").exists()
    assert not AuditEntry.objects.filter(target_type="referrals.assistancerefusal").exists()


# --- the close rule -----------------------------------------------------------------------


@pytest.mark.parametrize("flagged_case", FLAGGED, indirect=True)
def test_a_flagged_case_with_only_a_sent_referral_cannot_be_closed_until_it_is_accepted(
    api, caseworker_a, caseworker_b, flagged_case, shelter_b
):
    sender = api.as_user(caseworker_a)
    referral = _refer(sender, flagged_case, shelter_b)
    response = _close(sender, flagged_case)
    assert response.status_code == 409
    assert response.json()["code"] == "case_close_refused"
    assert "accept a referral" in response.json()["detail"]
    assert "refuses assistance" in response.json()["detail"]
    flagged_case.refresh_from_db()
    assert flagged_case.status == "open"

    receiver = api.as_user(caseworker_b)
    assert receiver.post(f"{REFERRALS}{referral['id']}/accept/", {}).status_code == 200
    response = _close(api.as_user(caseworker_a), flagged_case)
    assert response.status_code == 200 and response.json()["status"] == "closed"


@pytest.mark.parametrize("flagged_case", FLAGGED, indirect=True)
def test_a_flagged_case_closes_once_the_persons_refusal_of_assistance_is_recorded(
    api, caseworker_a, flagged_case
):
    client = api.as_user(caseworker_a)
    assert _close(client, flagged_case).status_code == 409
    response = client.post(REFUSALS, _refusal(flagged_case))
    assert response.status_code == 201
    response = _close(client, flagged_case)
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_a_declined_referral_leaves_the_case_open(
    api, caseworker_a, caseworker_b, flagged_case, shelter_b
):
    referral = _refer(api.as_user(caseworker_a), flagged_case, shelter_b)
    api.as_user(caseworker_b).post(f"{REFERRALS}{referral['id']}/decline/", {"reason": "Full."})
    assert _close(api.as_user(caseworker_a), flagged_case).status_code == 409


@pytest.mark.parametrize("status", ["not_assessed", "not_a_victim"])
def test_cases_of_people_not_flagged_close_freely(api, caseworker_a, case_a, status):
    case_a.victim_status = status
    case_a.save()
    assert _close(api.as_user(caseworker_a), case_a).status_code == 200


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_close_refusal_names_both_ways_out_in_the_users_language(
    api, caseworker_a, flagged_case, language
):
    client = api.as_user(caseworker_a)
    flagged_case.refresh_from_db()
    response = client.post(
        f"/api/v1/cases/{flagged_case.pk}/close/",
        {"version": flagged_case.version, "outcome": "Went home."},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 409
    with translation.override(language):
        expected = translation.gettext(
            "The person is a possible, presumed or identified victim of trafficking. Before the "
            "case is closed, a service must accept a referral of the person, or you record that "
            "the person refuses assistance after being told of their rights and the services "
            "available."
        )
    assert expected in response.json()["detail"]
    if language != "en":
        assert "victim" not in expected


# --- recording a refusal ------------------------------------------------------------------


def test_a_refusal_is_recorded_with_a_timeline_entry_and_an_audit_entry_without_notes(
    api, caseworker_a, case_a
):
    response = api.as_user(caseworker_a).post(REFUSALS, _refusal(case_a))
    assert response.status_code == 201
    body = response.json()
    assert body["case"] == case_a.pk and body["case_reference"] == case_a.reference
    assert body["informed_of_rights"] is True
    assert body["refused_on"] == timezone.localdate().isoformat()
    assert body["recorded_by"] == caseworker_a.pk
    refusal = AssistanceRefusal.objects.get()
    assert refusal.notes.startswith("Wants to travel home")
    event = CaseEvent.objects.get(case=case_a, kind="assistance_refused")
    assert "notes" not in event.data
    assert timeline.describe(event).startswith("The person refused assistance on ")
    entry = AuditEntry.objects.get(action="create", target_type="referrals.assistancerefusal")
    assert entry.details == {"case": case_a.pk, "refused_on": body["refused_on"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"refused_on": "2099-01-01"}, "refused_on"),
        ({"informed_of_rights": False}, "informed_of_rights"),
        ({"informed_of_rights": None}, "informed_of_rights"),
        ({"refused_on": None}, "refused_on"),
        ({"refused_on": "yesterday"}, "refused_on"),
    ],
)
def test_a_bad_refusal_is_a_400_and_writes_nothing(api, caseworker_a, case_a, overrides, field):
    body = {k: v for k, v in _refusal(case_a, **overrides).items() if v is not None}
    response = api.as_user(caseworker_a).post(REFUSALS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    _nothing_written(case_a)


def test_tomorrow_is_in_the_future(api, caseworker_a, case_a):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api.as_user(caseworker_a).post(REFUSALS, _refusal(case_a, refused_on=tomorrow))
    assert response.status_code == 400
    _nothing_written(case_a)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_refusal_messages_are_translated(api, caseworker_a, case_a, language):
    body = _refusal(case_a, refused_on="2099-01-01", informed_of_rights=False)
    response = api.as_user(caseworker_a).post(REFUSALS, body, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    with translation.override(language):
        future = translation.gettext("The date of the refusal cannot be in the future.")
        briefing = translation.gettext(
            "Confirm that the person was told of their rights and of the services available "
            "before recording that they refuse assistance."
        )
    assert response.json()["refused_on"] == [future]
    assert response.json()["informed_of_rights"] == [briefing]
    assert "future" not in future and "rights" not in briefing


def test_a_refusal_on_a_closed_case_is_a_409(api, caseworker_a, case_a):
    case_a.status = "closed"
    case_a.save()
    response = api.as_user(caseworker_a).post(REFUSALS, _refusal(case_a))
    assert response.status_code == 409 and response.json()["code"] == "case_closed"
    _nothing_written(case_a)


def test_an_administrator_records_a_refusal(api, administrator, case_a):
    assert api.as_user(administrator).post(REFUSALS, _refusal(case_a)).status_code == 201


def test_inspectors_and_auditors_do_not_record_refusals(api, inspector, auditor, case_a):
    for user in [inspector, auditor]:
        assert api.as_user(user).post(REFUSALS, _refusal(case_a)).status_code == 403
    _nothing_written(case_a)


# --- who sees refusals --------------------------------------------------------------------


def test_another_organisation_can_neither_see_nor_record_refusals_of_the_case(
    api, caseworker_a, caseworker_b, case_a
):
    refusal = api.as_user(caseworker_a).post(REFUSALS, _refusal(case_a)).json()
    other = api.as_user(caseworker_b)
    response = other.post(REFUSALS, _refusal(case_a))
    assert response.status_code == 400 and "case" in response.json()
    assert AssistanceRefusal.objects.count() == 1
    assert other.get(f"{REFUSALS}{refusal['id']}/").status_code == 404
    assert other.get(REFUSALS).json()["results"] == []
    assert other.get(REFUSALS, {"case": case_a.pk}).json()["results"] == []


def test_the_list_shows_the_cases_refusals_and_its_reads_are_audited(
    api, caseworker_a, case_a, django_assert_max_num_queries
):
    other_case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    for case in [case_a, case_a, other_case]:
        assert client.post(REFUSALS, _refusal(case)).status_code == 201
    with django_assert_max_num_queries(8):
        listed = client.get(REFUSALS, {"case": case_a.pk}).json()["results"]
    assert [item["case"] for item in listed] == [case_a.pk, case_a.pk]
    entry = AuditEntry.objects.get(
        action="read", target_type="referrals.assistancerefusal", target_id="list"
    )
    assert sorted(entry.details["ids"]) == sorted(item["id"] for item in listed)
    with django_assert_max_num_queries(8):
        assert len(client.get(REFUSALS).json()["results"]) == 3


def test_anonymisation_erases_the_notes_and_keeps_the_refusal(api, caseworker_a, case_a):
    api.as_user(caseworker_a).post(REFUSALS, _refusal(case_a))
    case_a.status = "closed"
    case_a.save()
    case_anonymise(case=case_a)
    refusal = AssistanceRefusal.objects.get()
    assert refusal.notes == "" and refusal.refused_on == timezone.localdate()
    event = CaseEvent.objects.get(case=case_a, kind="assistance_refused")
    assert timeline.describe(event) == (
        "The person refused assistance, told of their rights and the services available"
    )


# --- the pages ----------------------------------------------------------------------------


def test_the_case_page_warns_and_offers_the_refusal_form(client, caseworker_a, flagged_case):
    client.force_login(caseworker_a)
    body = client.get(reverse("cases:detail", args=[flagged_case.pk])).content.decode()
    assert "Before the case is closed, a service must accept a referral" in body
    assert "Record that the person refuses assistance" in body
    assert reverse("referrals:case_refusal", args=[flagged_case.pk]) in body
    assert "The person has not refused assistance." in body


def test_the_close_page_shows_the_refusal_message(client, caseworker_a, flagged_case):
    client.force_login(caseworker_a)
    url = reverse("cases:close", args=[flagged_case.pk])
    body = client.get(url).content.decode()
    assert "The case cannot be closed yet:" in body
    assert "refuses assistance after being told of their rights" in body
    response = client.post(url, {"outcome": "Went home.", "version": flagged_case.version})
    assert response.status_code == 409


def test_a_refusal_recorded_on_the_case_page_lets_the_case_close(
    client, caseworker_a, flagged_case
):
    client.force_login(caseworker_a)
    response = client.post(
        reverse("referrals:case_refusal", args=[flagged_case.pk]),
        {
            "refusal-refused_on": timezone.localdate().isoformat(),
            "refusal-informed_of_rights": "on",
            "refusal-notes": "Prefers to stay with a cousin.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{flagged_case.pk}/#case-refusals")
    body = client.get(response["Location"]).content.decode()
    assert "The refusal of assistance is recorded." in body
    assert "Prefers to stay with a cousin." in body
    assert "Before the case is closed, a service must accept a referral" not in body
    flagged_case.refresh_from_db()
    response = client.post(
        reverse("cases:close", args=[flagged_case.pk]),
        {"outcome": "Went home.", "version": flagged_case.version},
    )
    assert response.status_code == 302
    flagged_case.refresh_from_db()
    assert flagged_case.status == "closed"


def test_a_refusal_form_without_the_briefing_is_shown_again_with_the_error(
    client, caseworker_a, case_a
):
    client.force_login(caseworker_a)
    response = client.post(
        reverse("referrals:case_refusal", args=[case_a.pk]),
        {"refusal-refused_on": timezone.localdate().isoformat(), "refusal-notes": "Kept."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Confirm that the person was told of their rights" in body
    assert "Kept." in body
    _nothing_written(case_a)


def test_inspectors_cannot_record_a_refusal_on_the_case_page(
    client, inspector, caseworker_a, case_a
):
    client.force_login(caseworker_a)
    client.post(
        reverse("referrals:case_refusal", args=[case_a.pk]),
        {
            "refusal-refused_on": timezone.localdate().isoformat(),
            "refusal-informed_of_rights": "on",
        },
    )
    client.force_login(inspector)
    response = client.post(reverse("referrals:case_refusal", args=[case_a.pk]), {})
    assert response.status_code == 403
    assert AssistanceRefusal.objects.count() == 1
