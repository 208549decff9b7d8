"""Issue 16 through the API: protection that holds until a competent authority decides.

Council of Europe Convention on Action against Trafficking in Human Beings, art. 10(2) and 13;
Kazakhstan Law No. 110-VIII of 5 July 2024, art. 16-18; EAEU Treaty art. 97.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from apps.cases.models import Case, Person
from apps.protection.models import Identification, ProtectionEvent
from apps.protection.services import reflection_days
from apps.removals.models import Removal
from apps.reports.metrics import Period, removal_metrics
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, IdentityDocumentFactory, PersonFactory
from tests.screening.patterns import NO_INDICATORS, POSSIBLE, PRESUMED, payload

pytestmark = pytest.mark.django_db

REMOVALS = "/api/v1/removals/"
JUSTIFICATION = "The court ordered the removal on grounds of public order, decision 12/2026."


def screen(api, user, case, answers, **extra):
    response = api.as_user(user).post(
        "/api/v1/screenings/", {**payload(case, answers), **extra}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def propose(api, user, case, grounds="overstay", **headers):
    return api.as_user(user).post(
        REMOVALS, {"case": case.pk, "grounds": grounds}, format="json", **headers
    )


def decide(api, user, removal, decision="remove", **headers):
    return api.as_user(user).post(
        f"{REMOVALS}{removal['id']}/decide/", {"decision": decision}, format="json", **headers
    )


def identify(api, user, case, outcome, number="77/2026", **extra):
    return api.as_user(user).post(
        "/api/v1/identifications/",
        {
            "case": case.pk,
            "authority": "Department of Police of Astana",
            "decision_number": number,
            "decided_on": timezone.localdate().isoformat(),
            "outcome": outcome,
            **extra,
        },
        format="json",
    )


def status_of(case) -> str:
    return Person.objects.get(pk=case.person_id).protection_status


def test_a_negative_screening_after_the_reflection_period_does_not_let_a_presumed_victim_be_removed(
    api, inspector, inspector_case
):
    screen(api, inspector, inspector_case, PRESUMED)
    removal = propose(api, inspector, inspector_case).json()
    assert removal["status"] == "suspended"
    case = api.as_user(inspector).get(f"/api/v1/cases/{inspector_case.pk}/").json()
    assert case["protection_status"] == "presumed"
    until = datetime.date.fromisoformat(case["reflection_until"])
    assert until == timezone.localdate() + datetime.timedelta(days=30)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        # Re-interviewed in a shelter, the person truthfully answers "no" in the present tense.
        screen(api, inspector, inspector_case, NO_INDICATORS)
        refused = decide(api, inspector, removal)
        assert refused.status_code == 409 and refused.json()["code"] == "removal_suspended"
        fresh = propose(api, inspector, inspector_case).json()
        assert fresh["status"] == "suspended"
        assert decide(api, inspector, fresh).json()["code"] == "removal_suspended"
    assert status_of(inspector_case) == "presumed"
    assert Case.objects.get(pk=inspector_case.pk).victim_status == "presumed"
    assert not Removal.objects.filter(status="decided_remove").exists()


def test_an_identified_victim_is_not_removed_after_a_negative_screening(
    api, inspector, inspector_case, administrator
):
    assert identify(api, administrator, inspector_case, "identified").status_code == 201
    assert status_of(inspector_case) == "identified"
    screen(api, inspector, inspector_case, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    assert removal["status"] == "suspended"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60)):
        screen(api, inspector, inspector_case, NO_INDICATORS)
        response = decide(api, inspector, removal, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 409 and response.json()["code"] == "removal_suspended"
    assert "выдворение" in response.json()["detail"].lower() or response.json()["detail"]
    assert status_of(inspector_case) == "identified"


def test_only_a_formal_not_a_victim_identification_reopens_the_ordinary_gate(
    api, inspector, inspector_case, administrator, caseworker_a
):
    screen(api, inspector, inspector_case, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    # A caseworker of an NGO is no competent authority; an inspector neither.
    for user in (caseworker_a, inspector):
        assert identify(api, user, inspector_case, "not_a_victim").status_code in (403, 404)
    assert not Identification.objects.exists()
    record = identify(api, administrator, inspector_case, "not_a_victim")
    assert record.status_code == 201, record.json()
    assert status_of(inspector_case) == "not_a_victim"
    assert identify(api, administrator, inspector_case, "not_a_victim").json()["code"] == (
        "identification_exists"
    )
    screen(api, inspector, inspector_case, NO_INDICATORS)
    decided = decide(api, inspector, removal)
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided_remove"
    assert decided.json()["protected_at_decision"] is False
    events = ProtectionEvent.objects.filter(person_id=inspector_case.person_id)
    assert [e.to_status for e in events.order_by("at", "id")] == ["possible", "not_a_victim"]


def test_an_authority_user_records_an_identification_and_the_case_shows_it(
    api, inspector_case, administrator
):
    police = OrganizationFactory(kind="police", region=inspector_case.region)
    officer = UserFactory(role="inspector", organization=police)
    # The officer sees the case only when their organisation does: through the administrator.
    assert identify(api, officer, inspector_case, "identified").status_code == 400
    assert identify(api, administrator, inspector_case, "identified").status_code == 201
    body = api.as_user(administrator).get(f"/api/v1/cases/{inspector_case.pk}/").json()
    assert body["protection_status"] == body["victim_status"] == "identified"
    assert body["identifications"][0]["decision_number"] == "77/2026"
    assert body["identified_on"] == timezone.localdate().isoformat()
    assert body["person"]["protection_status"] == "identified"


@pytest.mark.parametrize(
    "field, value",
    [
        ("authority", ""),
        ("decision_number", ""),
        ("decided_on", "2999-01-01"),
        ("outcome", "maybe"),
        ("case", 999999),
    ],
)
def test_a_bad_identification_is_a_translated_400_and_changes_nothing(
    api, inspector_case, administrator, field, value
):
    response = api.as_user(administrator).post(
        "/api/v1/identifications/",
        {
            "case": inspector_case.pk,
            "authority": "Police",
            "decision_number": "1/2026",
            "decided_on": "2026-01-01",
            "outcome": "identified",
            field: value,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 400 and field in response.json()
    assert not Identification.objects.exists()
    assert status_of(inspector_case) == "not_assessed"


def test_an_empty_screening_does_not_satisfy_the_gate(api, inspector, inspector_case):
    body = screen(api, inspector, inspector_case, {})
    assert body["status"] == "complete" and body["result"]["trafficking"] == "incomplete"
    removal = propose(api, inspector, inspector_case).json()
    assert removal["status"] == "pending"
    refused = decide(api, inspector, removal)
    assert refused.status_code == 409 and refused.json()["code"] == "screening_required"
    # "No removal" is always allowed; it does not count as screened first (standard S1).
    allowed = decide(api, inspector, removal, "no_removal")
    assert allowed.status_code == 200
    assert allowed.json()["screened_before_decision"] is False


def test_a_flag_after_the_decision_suspends_enforcement_and_notifies(
    api, inspector, inspector_case, caseworker_a, django_capture_on_commit_callbacks
):
    screen(api, inspector, inspector_case, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    decided = decide(api, inspector, removal).json()
    assert decided["status"] == "decided_remove" and decided["enforced_at"] is None
    mail.outbox.clear()
    # A caseworker records reasonable grounds before the removal is carried out.
    inspector_case.organization = caseworker_a.organization
    inspector_case.save()
    with django_capture_on_commit_callbacks(execute=True):
        grounds = api.as_user(caseworker_a).post(
            "/api/v1/protection/grounds/",
            {
                "case": inspector_case.pk,
                "level": "presumed",
                "grounds": "The employer keeps the passport and the wages of three months.",
            },
            format="json",
        )
    assert grounds.status_code == 201, grounds.json()
    after = api.as_user(inspector).get(f"{REMOVALS}{removal['id']}/").json()
    assert after["status"] == "suspended" and after["decision"] == ""
    assert (
        after["reflection_until"]
        == (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    )
    assert mail.outbox, "the suspension is notified as a new one"
    refused = api.as_user(inspector).post(f"{REMOVALS}{removal['id']}/enforce/", format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "not_decided_remove"


def test_an_enforced_removal_of_a_person_flagged_afterwards_is_reported(
    api, inspector, inspector_case
):
    screen(api, inspector, inspector_case, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    decide(api, inspector, removal)
    enforced = api.as_user(inspector).post(f"{REMOVALS}{removal['id']}/enforce/", format="json")
    assert enforced.status_code == 200 and enforced.json()["enforced_at"]
    again = api.as_user(inspector).post(f"{REMOVALS}{removal['id']}/enforce/", format="json")
    assert again.json()["code"] == "already_enforced"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        screen(api, inspector, inspector_case, PRESUMED)
    assert Removal.objects.get(pk=removal["id"]).status == "decided_remove", "already carried out"
    year = Period(timezone.localdate().year)
    if (timezone.localdate() + datetime.timedelta(days=3)).year == year.year:
        result = removal_metrics(period=year, region=None)
        assert result["removals_enforced"] == 1 and result["enforced_then_flagged"] == 1


def test_enforcement_is_refused_while_the_person_is_flagged_unless_an_override_covers_it(
    api, inspector, inspector_case, administrator
):
    screen(api, inspector, inspector_case, POSSIBLE)
    removal = propose(api, inspector, inspector_case).json()
    client = api.as_user(administrator)
    no = client.post(
        f"{REMOVALS}{removal['id']}/override/",
        {"decision": "no_removal", "grounds": "public_order", "justification": JUSTIFICATION},
        format="json",
    )
    assert no.status_code == 409 and no.json()["code"] == "override_not_needed"
    overridden = client.post(
        f"{REMOVALS}{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": JUSTIFICATION},
        format="json",
    )
    assert overridden.status_code == 200, overridden.json()
    assert client.post(f"{REMOVALS}{removal['id']}/enforce/").status_code == 200
    # A new, higher flag after an override: the next decided removal is suspended again.
    second = propose(api, inspector, inspector_case).json()
    assert second["status"] == "suspended"


def test_no_removal_needs_no_override_on_a_suspended_removal(api, inspector, inspector_case):
    screen(api, inspector, inspector_case, PRESUMED)
    removal = propose(api, inspector, inspector_case).json()
    response = decide(api, inspector, removal, "no_removal")
    assert response.status_code == 200 and response.json()["status"] == "decided_no_removal"
    assert response.json()["overridden"] is False


@pytest.mark.parametrize("citizenship", ["AM", "BY", "KG", "KZ", "RU"])
def test_illegal_employment_is_refused_for_eaeu_citizens(api, inspector, inspectorate, citizenship):
    case = CaseFactory(organization=inspectorate, person=PersonFactory(citizenship=citizenship))
    response = propose(api, inspector, case, "illegal_employment", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "ЕАЭС" in response.json()["grounds"][0]
    assert not Removal.objects.exists()


def test_illegal_employment_stays_grounds_for_others(api, inspector, inspector_case):
    assert inspector_case.person.citizenship == "UZ"
    assert propose(api, inspector, inspector_case, "illegal_employment").status_code == 201


def test_a_document_violation_with_documents_held_by_the_employer_asks_for_a_screening(
    api, inspector, inspector_case
):
    IdentityDocumentFactory(case=inspector_case, held_by="intermediary")
    response = propose(api, inspector, inspector_case, "document_violation")
    assert response.status_code == 409 and response.json()["code"] == "screening_required"
    assert not Removal.objects.exists()
    page = api.as_user(inspector).get(f"/api/v1/cases/{inspector_case.pk}/").json()
    assert page["has_withheld_documents"] is True
    screen(api, inspector, inspector_case, NO_INDICATORS)
    assert propose(api, inspector, inspector_case, "document_violation").status_code == 201


def test_flagged_statuses_never_downgrade_each_other(api, inspector, inspector_case):
    screen(api, inspector, inspector_case, PRESUMED)
    screen(api, inspector, inspector_case, POSSIBLE)
    screen(api, inspector, inspector_case, NO_INDICATORS)
    assert status_of(inspector_case) == "presumed"
    refused = api.as_user(inspector).post(
        "/api/v1/protection/grounds/",
        {"case": inspector_case.pk, "level": "possible", "grounds": "x" * 30},
        format="json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "protection_not_raised"


def test_recorded_grounds_need_words_and_a_level(api, caseworker_a, case_a):
    for body in ({"level": "presumed", "grounds": "short"}, {"level": "identified"}, {}):
        response = api.as_user(caseworker_a).post(
            "/api/v1/protection/grounds/", {"case": case_a.pk, **body}, format="json"
        )
        assert response.status_code == 400
    assert status_of(case_a) == "not_assessed"
    assert not ProtectionEvent.objects.exists()


def test_the_victim_status_is_not_patched_by_hand(api, caseworker_a, case_a):
    response = api.as_user(caseworker_a).patch(
        f"/api/v1/cases/{case_a.pk}/",
        {"victim_status": "identified", "version": case_a.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 400 and "victim_status" in response.json()
    assert Case.objects.get(pk=case_a.pk).victim_status == "not_assessed"


def test_protection_follows_the_person_to_another_case(api, inspector, inspectorate, caseworker_a):
    person = PersonFactory()
    first = CaseFactory(organization=caseworker_a.organization, person=person)
    second = CaseFactory(organization=inspectorate, person=person)
    api.as_user(caseworker_a).post(
        "/api/v1/protection/grounds/",
        {"case": first.pk, "level": "possible", "grounds": "Debt bondage to the recruiter."},
        format="json",
    )
    assert Case.objects.get(pk=second.pk).victim_status == "possible"
    screen(api, inspector, second, NO_INDICATORS)
    removal = propose(api, inspector, second).json()
    assert removal["status"] == "suspended"
    assert decide(api, inspector, removal).status_code == 409


def test_the_reflection_period_never_goes_below_30_days(settings):
    settings.CASEMGR_REFLECTION_DAYS = 10
    assert reflection_days() == 30
    with pytest.raises(SystemCheckError):
        call_command("check")
    settings.CASEMGR_REFLECTION_DAYS = 45
    assert reflection_days() == 45


def test_identifications_are_listed_only_for_visible_cases(
    api, administrator, inspector_case, caseworker_b
):
    identify(api, administrator, inspector_case, "identified")
    assert api.as_user(administrator).get("/api/v1/identifications/").json()["count"] == 1
    assert api.as_user(caseworker_b).get("/api/v1/identifications/").json()["count"] == 0


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def test_the_decision_document_is_kept_encrypted_and_read_back_by_whoever_sees_the_case(
    api, client, administrator, inspector_case, caseworker_b, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    settings.CASEMGR_ADMIN_2FA_REQUIRED = False
    text = SimpleUploadedFile("Karimov decision.txt", b"not a decision", "text/plain")
    refused = api.as_user(administrator).post(
        "/api/v1/identifications/",
        {
            "case": inspector_case.pk,
            "authority": "Police",
            "decision_number": "9/2026",
            "decided_on": "2026-01-01",
            "outcome": "identified",
            "document": text,
        },
        format="multipart",
    )
    assert refused.status_code == 400 and "document" in refused.json()
    upload = SimpleUploadedFile("Karimov decision.png", PNG, "image/png")
    created = api.as_user(administrator).post(
        "/api/v1/identifications/",
        {
            "case": inspector_case.pk,
            "authority": "Police",
            "decision_number": "9/2026",
            "decided_on": "2026-01-01",
            "outcome": "identified",
            "document": upload,
        },
        format="multipart",
    )
    assert created.status_code == 201 and created.json()["has_document"] is True
    record = Identification.objects.get()
    assert "Karimov" not in record.document.name
    stored = (tmp_path / record.document.name).read_bytes()
    assert PNG not in stored and b"IHDR" not in stored
    url = reverse("protection:identification_document", args=[record.pk])
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404


def test_a_merge_keeps_the_higher_flag_of_the_two_records(
    api, administrator, caseworker_a, case_a, inspector, inspector_case
):
    from apps.cases.linking import person_merge

    api.as_user(caseworker_a).post(
        "/api/v1/protection/grounds/",
        {"case": case_a.pk, "level": "presumed", "grounds": "Debt bondage to the recruiter."},
        format="json",
    )
    screen(api, inspector, inspector_case, NO_INDICATORS)
    removal = propose(api, inspector, inspector_case).json()
    assert removal["status"] == "pending"
    person_merge(
        actor=administrator,
        case=case_a,
        other=inspector_case,
        reason="The same passport number in both records, checked by the administrator.",
    )
    assert status_of(inspector_case) == "presumed"
    assert set(
        Case.objects.filter(pk__in=[case_a.pk, inspector_case.pk]).values_list(
            "victim_status", flat=True
        )
    ) == {"presumed"}
    assert Removal.objects.get(pk=removal["id"]).status == "suspended"
