"""Protection follows the person (issue 15 item 5): a flag on the same person in any case, in any
organisation and any script, holds the removal."""

from datetime import date

import pytest
from django.core import mail

from apps.audit.models import AuditEntry
from apps.removals.models import IdentityCheck, Removal
from apps.screening.services import screening_create
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, PersonFactory
from tests.screening.patterns import NO_INDICATORS, PRESUMED, payload

pytestmark = pytest.mark.django_db
BORN = date(1994, 5, 2)


@pytest.fixture
def almaty():
    org = OrganizationFactory(
        name="Labour Inspectorate of Almaty", kind="labour_inspectorate", region="almaty_city"
    )
    inspector = UserFactory(username="asel", role="inspector", organization=org, language="ru")
    caseworker = UserFactory(
        username="aigul", role="caseworker", organization=org, language="kk", email="aigul@x.kz"
    )
    return org, inspector, caseworker


@pytest.fixture
def astana():
    org = OrganizationFactory(
        name="Labour Inspectorate of Astana", kind="labour_inspectorate", region="astana"
    )
    return org, UserFactory(username="serik", role="inspector", organization=org)


def person(given, family, born=BORN, **extra):
    return PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, citizenship="UZ", **extra
    )


def flagged_in_almaty(almaty, given="Dilshod", family="Karimov"):
    org, inspector, caseworker = almaty
    case = CaseFactory(organization=org, person=person(given, family), assigned_to=caseworker)
    screening_create(actor=inspector, case=case, answers=PRESUMED, interview_language="ru")
    case.refresh_from_db()
    assert case.victim_status == "presumed"
    return case


def test_a_cyrillic_namesake_of_a_flagged_latin_person_is_not_removed(
    api, almaty, astana, django_capture_on_commit_callbacks
):
    """The issue's walk-through: presumed victim in Almaty, re-screened 'no' in Astana."""
    flagged = flagged_in_almaty(almaty)
    org, inspector = astana
    case = CaseFactory(organization=org, person=person("Дилшод", "Каримов"))
    client = api.as_user(inspector)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposed = client.post(
            "/api/v1/removals/", {"case": case.pk, "grounds": "overstay"}, format="json"
        )
    body = proposed.json()
    assert proposed.status_code == 201
    assert body["status"] == "suspended" and body["protection_elsewhere"] is True
    assert flagged.reference not in proposed.content.decode()

    client.post("/api/v1/screenings/", payload(case, NO_INDICATORS), format="json")
    decided = client.post(
        f"/api/v1/removals/{body['id']}/decide/",
        {"decision": "remove", "version": body["version"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert decided.status_code == 409 and decided.json()["code"] == "protection_elsewhere"
    assert flagged.reference not in decided.content.decode()
    assert "Karimov" not in decided.content.decode()
    assert Removal.objects.get(pk=body["id"]).status == "suspended"

    # The flagging organisation's caseworker is told, in Kazakh, about their own case.
    told = [m for m in mail.outbox if "aigul@x.kz" in m.to]
    assert told and flagged.reference in told[0].subject
    assert case.reference not in told[0].body and "Каримов" not in told[0].body


def test_a_flag_raised_later_suspends_a_pending_removal_of_the_same_person_elsewhere(
    api, almaty, astana
):
    org, inspector = astana
    case = CaseFactory(organization=org, person=person("Дилшод", "Каримов"))
    pending = api.as_user(inspector).post(
        "/api/v1/removals/", {"case": case.pk, "grounds": "overstay"}, format="json"
    )
    assert pending.json()["status"] == "pending"
    flagged_in_almaty(almaty)
    removal = Removal.objects.get(pk=pending.json()["id"])
    assert removal.status == "suspended" and removal.protection_elsewhere
    assert removal.reflection_until is not None


def test_deciding_no_removal_stays_possible_while_protection_holds(api, almaty, astana):
    flagged_in_almaty(almaty)
    org, inspector = astana
    case = CaseFactory(organization=org, person=person("Dilshod", "Karimov"))
    client = api.as_user(inspector)
    client.post("/api/v1/screenings/", payload(case, NO_INDICATORS), format="json")
    removal = Removal.objects.create(
        case=case, grounds="overstay", proposed_on=date.today(), proposed_by=inspector
    )
    decided = client.post(
        f"/api/v1/removals/{removal.pk}/decide/", {"decision": "no_removal"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decided_no_removal"


def test_a_possible_match_needs_a_recorded_check_before_a_removal_is_decided(api, almaty, astana):
    # A twin brother, flagged in Almaty: same family name and birth date, another given name.
    flagged_in_almaty(almaty, given="Jamshid")
    org, inspector = astana
    case = CaseFactory(organization=org, person=person("Dilshod", "Karimov"))
    client = api.as_user(inspector)
    proposed = client.post(
        "/api/v1/removals/", {"case": case.pk, "grounds": "overstay"}, format="json"
    ).json()
    assert proposed["status"] == "pending"  # not the same person: no suspension
    client.post("/api/v1/screenings/", payload(case, NO_INDICATORS), format="json")
    url = f"/api/v1/removals/{proposed['id']}/"

    refused = client.post(f"{url}decide/", {"decision": "remove"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "identity_check_required"
    short = client.post(f"{url}identity-check/", {"reason": "no"}, format="json")
    assert short.status_code == 400 and "reason" in short.json()
    assert not IdentityCheck.objects.exists()

    reason = "The administrator compared both passports: a twin brother, a different person."
    checked = client.post(f"{url}identity-check/", {"reason": reason}, format="json")
    assert checked.status_code == 200
    check = IdentityCheck.objects.get()
    assert check.checked_by == inspector and check.reason == reason
    assert AuditEntry.objects.filter(target_id=str(proposed["id"]), action="decide").exists()
    again = client.post(f"{url}identity-check/", {"reason": reason}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "no_identity_check_needed"

    decided = client.post(f"{url}decide/", {"decision": "remove"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "decided_remove"


def test_the_removal_page_says_a_flag_exists_elsewhere_and_nothing_more(client, almaty, astana):
    flagged = flagged_in_almaty(almaty)
    org, inspector = astana
    case = CaseFactory(organization=org, person=person("Дилшод", "Каримов"))
    from apps.removals.services import removal_propose

    removal = removal_propose(actor=inspector, case=case, grounds="overstay")
    client.force_login(inspector)
    page = client.get(f"/removals/{removal.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Флаг защиты этого человека есть в другом деле" in page
    assert flagged.reference not in page and flagged.organization.name not in page
    # The decision form offers only what can be decided: no removal.
    assert 'value="no_removal"' in page and 'value="remove"' not in page
