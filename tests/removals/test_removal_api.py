"""The removals API of api.md: the screening gate, every 409, permissions and scope."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases.models import CaseEvent
from apps.removals.models import Removal
from apps.removals.services import removal_propose
from apps.screening.models import Screening
from apps.screening.services import screening_create
from tests.cases.factories import CaseFactory
from tests.screening.patterns import NO_INDICATORS, POSSIBLE, PRESUMED

pytestmark = pytest.mark.django_db

JUSTIFICATION = "A long enough justification for the test, naming the court order 12/2026."
URL = "/api/v1/removals/"


def screen(case, user, answers):
    return screening_create(actor=user, case=case, answers=answers, interview_language="ru")


def propose(api, user, case, grounds="overstay"):
    return api.as_user(user).post(URL, {"case": case.pk, "grounds": grounds})


def age(screening, days):
    Screening.objects.filter(pk=screening.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_a_proposed_removal_is_pending_without_a_flag(api, inspector_case, inspector):
    response = propose(api, inspector, inspector_case)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["reflection_until"] is None
    assert body["proposed_on"] == timezone.localdate().isoformat()
    assert CaseEvent.objects.filter(case=inspector_case, kind="removal_proposed").exists()


def test_a_removal_is_suspended_at_once_when_the_person_is_already_flagged(
    api, inspector_case, inspector, settings
):
    settings.CASEMGR_REFLECTION_DAYS = 45
    screen(inspector_case, inspector, POSSIBLE)
    body = propose(api, inspector, inspector_case).json()
    assert body["status"] == "suspended"
    assert body["suspended_at"]
    expected = timezone.localdate() + datetime.timedelta(days=45)
    assert body["reflection_until"] == expected.isoformat()
    assert CaseEvent.objects.filter(case=inspector_case, kind="removal_suspended").exists()


def test_a_flagging_screening_suspends_every_pending_removal_and_notifies(
    api, inspector_case, inspector, django_capture_on_commit_callbacks
):
    first = propose(api, inspector, inspector_case).json()
    second = propose(api, inspector, inspector_case, grounds="illegal_employment").json()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        screen(inspector_case, inspector, PRESUMED)
    assert len(callbacks) == 2
    for removal_id in (first["id"], second["id"]):
        removal = Removal.objects.get(pk=removal_id)
        assert removal.status == "suspended"
        assert removal.reflection_until == timezone.localdate() + datetime.timedelta(days=30)
    assert mail.outbox, "the suspension notified somebody"


def test_a_negative_screening_leaves_pending_removals_pending(api, inspector_case, inspector):
    removal = propose(api, inspector, inspector_case).json()
    screen(inspector_case, inspector, NO_INDICATORS)
    assert Removal.objects.get(pk=removal["id"]).status == "pending"


def test_deciding_without_any_screening_is_refused(api, inspector_case, inspector):
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 409
    assert response.json()["code"] == "screening_required"
    assert Removal.objects.get(pk=removal["id"]).status == "pending"


def test_deciding_after_a_stale_screening_is_refused(api, inspector_case, inspector):
    age(screen(inspector_case, inspector, NO_INDICATORS), days=31)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 409
    assert response.json()["code"] == "screening_required"


def test_the_validity_period_is_a_setting(api, inspector_case, inspector, settings):
    settings.CASEMGR_SCREENING_VALIDITY_DAYS = 60
    age(screen(inspector_case, inspector, NO_INDICATORS), days=31)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 200, response.json()


def test_deciding_a_flagged_persons_removal_is_refused(api, inspector_case, inspector):
    screen(inspector_case, inspector, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 409
    assert response.json()["code"] == "removal_suspended"
    stored = Removal.objects.get(pk=removal["id"])
    assert stored.status == "suspended" and stored.decision == ""


def test_a_flagged_person_stays_protected_after_the_reflection_period(
    api, inspector_case, inspector
):
    screen(inspector_case, inspector, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    Removal.objects.filter(pk=removal["id"]).update(
        reflection_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 409 and response.json()["code"] == "removal_suspended"


def test_a_later_negative_screening_does_not_cut_the_reflection_period_short(
    api, inspector_case, inspector
):
    screen(inspector_case, inspector, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    screen(inspector_case, inspector, NO_INDICATORS)
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 409 and response.json()["code"] == "removal_suspended"
    Removal.objects.filter(pk=removal["id"]).update(
        reflection_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "no_removal"})
    assert response.status_code == 200 and response.json()["status"] == "decided_no_removal"


def test_a_screened_removal_is_decided_and_recorded(api, inspector_case, inspector):
    screening = screen(inspector_case, inspector, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "decided_remove" and body["decision"] == "remove"
    assert body["screening_at_decision"] == screening.pk
    assert body["screened_before_decision"] is True
    assert body["decided_by"] == inspector.pk
    assert CaseEvent.objects.filter(case=inspector_case, kind="removal_decided").exists()
    assert AuditEntry.objects.filter(action="decide", target_id=str(removal["id"])).exists()


def test_a_decided_removal_cannot_be_decided_again(api, inspector_case, inspector, administrator):
    screen(inspector_case, inspector, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    api.post(f"{URL}{removal['id']}/decide/", {"decision": "no_removal"})
    again = api.post(f"{URL}{removal['id']}/decide/", {"decision": "remove"})
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    override = api.as_user(administrator).post(
        f"{URL}{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": JUSTIFICATION},
    )
    assert override.status_code == 409 and override.json()["code"] == "already_decided"


def test_a_stale_version_is_refused(api, inspector_case, inspector):
    screen(inspector_case, inspector, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(
        f"{URL}{removal['id']}/decide/", {"decision": "remove", "version": removal["version"] + 5}
    )
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_an_administrator_overrides_a_suspension_with_a_justification(
    api, inspector_case, inspector, administrator
):
    screening = screen(inspector_case, inspector, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    client = api.as_user(administrator)
    missing = client.post(f"{URL}{removal['id']}/override/", {"decision": "remove"})
    assert missing.status_code == 400 and "justification" in missing.json()
    assert Removal.objects.get(pk=removal["id"]).status == "suspended"
    assert "grounds" in missing.json()
    short = client.post(
        f"{URL}{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": "Too short: 20+ chars"},
    )
    assert short.status_code == 400 and "justification" in short.json()
    justification = "Court order 12/2026 after formal identification found no exploitation."
    response = client.post(
        f"{URL}{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": justification},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "decided_remove" and body["overridden"] is True
    assert body["override_grounds"] == "public_order" and body["protected_at_decision"] is True
    assert body["override_justification"] == justification
    assert body["screening_at_decision"] == screening.pk
    assert CaseEvent.objects.filter(case=inspector_case, kind="removal_overridden").exists()
    entry = AuditEntry.objects.get(action="decide", target_id=str(removal["id"]))
    assert entry.details["override"] is True and entry.actor == administrator


def test_a_pending_removal_needs_no_override(api, inspector_case, inspector, administrator):
    removal = propose(api, inspector, inspector_case).json()
    response = api.as_user(administrator).post(
        f"{URL}{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": JUSTIFICATION},
    )
    assert response.status_code == 409 and response.json()["code"] == "not_suspended"


@pytest.mark.parametrize("persona", ["inspector", "caseworker_a", "auditor"])
def test_only_administrators_override(api, request, inspector_case, inspector, persona):
    screen(inspector_case, inspector, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    user = request.getfixturevalue(persona)
    response = api.as_user(user).post(
        f"{URL}{removal['id']}/override/",
        {"decision": "remove", "justification": "A long enough justification for the test."},
    )
    assert response.status_code in {403, 404}
    if persona != "caseworker_a":  # the caseworker cannot even see the inspectorate's case
        assert response.status_code == 403
    assert Removal.objects.get(pk=removal["id"]).status == "suspended"


@pytest.mark.parametrize("persona", ["caseworker_a", "administrator", "auditor"])
def test_only_inspectors_propose(api, request, case_a, persona):
    response = propose(api, request.getfixturevalue(persona), case_a)
    assert response.status_code == 403
    assert Removal.objects.count() == 0


@pytest.mark.parametrize("persona", ["caseworker_a", "auditor"])
def test_caseworkers_and_auditors_do_not_decide(api, request, ngo_a, inspector, persona):
    case = CaseFactory(organization=ngo_a)
    removal = Removal.objects.create(
        case=case, grounds="overstay", proposed_on=timezone.localdate(), proposed_by=inspector
    )
    response = api.as_user(request.getfixturevalue(persona)).post(
        f"{URL}{removal.pk}/decide/", {"decision": "remove"}
    )
    assert response.status_code == 403


def test_an_administrator_decides_a_screened_removal(api, inspector_case, inspector, administrator):
    screen(inspector_case, inspector, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    response = api.as_user(administrator).post(
        f"{URL}{removal['id']}/decide/", {"decision": "no_removal"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grounds": "bad_weather"}, "grounds"),
        ({"grounds": "overstay", "proposed_on": "2030-01-01"}, "proposed_on"),
        ({"grounds": "overstay", "proposed_on": "14/03/2025"}, "proposed_on"),
        ({"grounds": "overstay", "case": 999999}, "case"),
    ],
)
def test_bad_proposals_are_400_and_save_nothing(api, inspector_case, inspector, body, field):
    response = api.as_user(inspector).post(URL, {"case": inspector_case.pk, **body})
    assert response.status_code == 400 and field in response.json()
    assert Removal.objects.count() == 0
    assert not CaseEvent.objects.exists()


def test_a_bad_decision_is_400(api, inspector_case, inspector):
    screen(inspector_case, inspector, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    response = api.post(f"{URL}{removal['id']}/decide/", {"decision": "deport"})
    assert response.status_code == 400 and "decision" in response.json()
    assert Removal.objects.get(pk=removal["id"]).status == "pending"


def test_other_organisations_never_see_a_removal(
    api, ngo_a, ngo_b, caseworker_a, caseworker_b, inspector
):
    case = CaseFactory(organization=ngo_a, created_by=caseworker_a)
    removal = removal_propose(actor=inspector, case=case, grounds="overstay")
    assert api.as_user(caseworker_b).get(URL).json()["count"] == 0
    assert api.as_user(caseworker_b).get(f"{URL}{removal.pk}/").status_code == 404
    assert (
        api.as_user(caseworker_b)
        .post(f"{URL}{removal.pk}/decide/", {"decision": "remove"})
        .status_code
        == 403
    )
    assert api.as_user(caseworker_a).get(f"{URL}{removal.pk}/").status_code == 200


def test_an_inspector_cannot_decide_another_organisations_removal(api, ngo_b, inspector):
    case = CaseFactory(organization=ngo_b)
    removal = Removal.objects.create(
        case=case, grounds="overstay", proposed_on=timezone.localdate(), proposed_by=inspector
    )
    response = api.as_user(inspector).post(f"{URL}{removal.pk}/decide/", {"decision": "remove"})
    assert response.status_code == 404


def test_the_list_filters_by_status_and_case(api, inspector_case, inspector, inspectorate):
    other = CaseFactory(organization=inspectorate, created_by=inspector)
    screen(other, inspector, POSSIBLE)
    propose(api, inspector, inspector_case)
    propose(api, inspector, other)
    client = api.as_user(inspector)
    assert client.get(URL, {"status": "suspended"}).json()["count"] == 1
    assert client.get(URL, {"status": "pending"}).json()["count"] == 1
    assert client.get(URL, {"case": other.pk}).json()["count"] == 1
    assert client.get(URL).json()["count"] == 2


def test_the_list_query_count_does_not_grow_with_the_page(
    api, inspectorate, inspector, django_assert_max_num_queries
):
    for _ in range(10):
        case = CaseFactory(organization=inspectorate, created_by=inspector)
        removal_propose(actor=inspector, case=case, grounds="overstay")
    client = api.as_user(inspector)
    with django_assert_max_num_queries(5):
        small = client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(5):
        large = client.get(URL, {"page_size": 10})
    assert small.json()["count"] == large.json()["count"] == 10
