"""Opening, changing, closing and reopening cases through the services."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases import guards, selectors, services
from apps.cases.models import Case, CaseEvent, Person
from apps.cases.search import document_number_hash
from apps.core.exceptions import StaleVersion, WorkflowError
from tests.cases.factories import CaseFactory, IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Bakhtiyor",
    "family_name": "Yusupov",
    "sex": "male",
    "date_of_birth": date(1990, 5, 1),
    "citizenship": "UZ",
    "languages": ["uz", "ru"],
}


def open_case(actor, **overrides):
    values = {
        "person": dict(PERSON),
        "region": "astana",
        "identified_via": "ngo_outreach",
        "sector": "construction",
        "entry_date": date(2026, 1, 5),
        "stay_basis": "visa_free",
    }
    values.update(overrides)
    return services.case_open(actor=actor, **values)


def test_a_case_gets_a_reference_with_prefix_year_and_six_digits(caseworker_a):
    case = open_case(caseworker_a)
    year = timezone.localdate().year
    assert case.reference == f"KZ-{year}-000001"
    assert open_case(caseworker_a).reference == f"KZ-{year}-000002"


@override_settings(CASEMGR_REFERENCE_PREFIX="RU")
def test_the_reference_prefix_comes_from_the_settings(caseworker_a):
    assert re.fullmatch(r"RU-\d{4}-000001", open_case(caseworker_a).reference)


def test_opening_a_case_records_ownership_stay_timeline_and_audit(caseworker_a):
    case = open_case(
        caseworker_a,
        documents=[{"kind": "passport", "number": "fa 123-456", "held_by": "employer"}],
        employment={"employer": "Stroi LLP", "promised_wage_amount": "200000"},
        note="Met at the market.",
    )
    assert case.organization == caseworker_a.organization
    assert case.assigned_to == caseworker_a
    assert case.legal_stay_until == date(2026, 2, 3)  # UZ: 30 days, the entry day included
    assert case.documents.get().number_hash == document_number_hash("FA 123-456")
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds == ["case_opened", "document_added", "employment_added", "note_added"]
    assert AuditEntry.objects.filter(action="create", target_type="cases.case").exists()


def test_an_inspector_opens_a_case_for_the_inspectorate(inspector):
    assert open_case(inspector).organization == inspector.organization


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_auditors_and_administrators_do_not_open_cases(request, persona):
    with pytest.raises(PermissionDenied):
        open_case(request.getfixturevalue(persona))


def test_invalid_input_saves_nothing(caseworker_a):
    with pytest.raises(ValidationError) as exc:
        open_case(
            caseworker_a,
            person={**PERSON, "citizenship": "XX"},
            documents=[{"kind": "passport", "held_by": "boss"}],
        )
    assert {"citizenship", "held_by"} <= set(exc.value.message_dict)
    assert not Case.objects.exists() and not Person.objects.exists()


def test_entry_before_birth_is_refused(caseworker_a):
    with pytest.raises(ValidationError) as exc:
        open_case(caseworker_a, entry_date=date(1980, 1, 1))
    assert "entry_date" in exc.value.message_dict


def test_an_update_recomputes_the_stay_and_bumps_the_version(caseworker_a):
    case = open_case(caseworker_a)
    case = services.case_update(
        case=case,
        actor=caseworker_a,
        version=1,
        data={"person": {"citizenship": "KG"}, "border_crossing_point": "Korday"},
    )
    assert case.version == 2
    assert case.legal_stay_until == date(2026, 4, 4)
    event = case.events.filter(kind="case_updated").get()
    assert event.data["changes"]["citizenship"] == ["UZ", "KG"]


def test_a_stale_version_is_refused(caseworker_a):
    case = open_case(caseworker_a)
    services.case_update(case=case, actor=caseworker_a, version=1, data={"sector": "trade"})
    with pytest.raises(StaleVersion):
        services.case_update(case=case, actor=caseworker_a, version=1, data={"sector": "timber"})
    assert Case.objects.get(pk=case.pk).sector == "trade"


def test_another_organisation_cannot_change_the_case(caseworker_a, caseworker_b):
    case = open_case(caseworker_a)
    with pytest.raises(PermissionDenied):
        services.case_update(case=case, actor=caseworker_b, version=1, data={"sector": "trade"})


def test_a_case_is_assigned_only_within_its_organisation(caseworker_a, caseworker_b):
    case = open_case(caseworker_a)
    with pytest.raises(ValidationError) as exc:
        services.case_update(
            case=case, actor=caseworker_a, version=1, data={"assigned_to": caseworker_b}
        )
    assert "assigned_to" in exc.value.message_dict


def test_the_victim_status_is_not_edited_with_the_case(caseworker_a):
    # The victim status mirrors the person's protection status (apps/protection, issue 16).
    case = open_case(caseworker_a)
    with pytest.raises(ValidationError):
        services.case_update(
            case=case, actor=caseworker_a, version=1, data={"victim_status": "identified"}
        )
    case.refresh_from_db()
    assert (case.victim_status, case.identified_on, case.version) == ("not_assessed", None, 1)


def test_closing_needs_an_outcome(caseworker_a):
    case = open_case(caseworker_a)
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=caseworker_a, outcome="  ", version=1)
    assert Case.objects.get(pk=case.pk).status == "open"


def test_a_close_guard_refuses_with_its_reasons(caseworker_a):
    case = open_case(caseworker_a)
    guard = lambda c: "A presumed victim needs a referral."  # noqa: E731
    guards.register_close_guard(guard)
    try:
        with pytest.raises(WorkflowError) as exc:
            services.case_close(case=case, actor=caseworker_a, outcome="Returned home", version=1)
    finally:
        guards._close_guards.remove(guard)
    assert exc.value.code == "case_close_refused"
    assert "A presumed victim needs a referral." in str(exc.value.detail)
    assert Case.objects.get(pk=case.pk).status == "open"


def test_close_and_reopen_are_recorded(caseworker_a):
    case = open_case(caseworker_a)
    case = services.case_close(case=case, actor=caseworker_a, outcome="Returned home", version=1)
    assert (case.status, case.outcome, case.version) == ("closed", "Returned home", 2)
    with pytest.raises(WorkflowError) as exc:
        services.case_update(case=case, actor=caseworker_a, version=2, data={"sector": "trade"})
    assert exc.value.code == "case_closed"
    case = services.case_reopen(case=case, actor=caseworker_a, version=2, reason="New threats")
    assert case.status == "open" and case.closed_at is None
    event = case.events.get(kind="case_reopened")
    assert event.data == {"reason": "New threats", "previous_outcome": "Returned home"}


def test_reopening_an_open_case_is_refused(caseworker_a):
    case = open_case(caseworker_a)
    with pytest.raises(WorkflowError) as exc:
        services.case_reopen(case=case, actor=caseworker_a, version=1)
    assert exc.value.code == "case_not_closed"


def test_an_empty_note_is_refused(caseworker_a):
    case = open_case(caseworker_a)
    with pytest.raises(ValidationError):
        services.case_note_add(case=case, actor=caseworker_a, text="   ")
    assert not case.notes.exists()


def test_a_document_held_by_the_employer_is_a_warning(caseworker_a):
    case = open_case(caseworker_a)
    services.identity_document_add(
        case=case, actor=caseworker_a, data={"kind": "passport", "held_by": "employer"}
    )
    services.identity_document_add(
        case=case, actor=caseworker_a, data={"kind": "migration_card", "held_by": "self"}
    )
    assert [d.kind for d in selectors.case_withheld_documents(case)] == ["passport"]


def test_a_document_cannot_expire_before_it_was_issued(caseworker_a):
    case = open_case(caseworker_a)
    with pytest.raises(ValidationError) as exc:
        services.identity_document_add(
            case=case,
            actor=caseworker_a,
            data={
                "kind": "passport",
                "issued_on": date(2020, 1, 1),
                "expires_on": date(2019, 1, 1),
            },
        )
    assert "expires_on" in exc.value.message_dict


def test_an_employment_update_refuses_a_stale_version(caseworker_a):
    case = open_case(caseworker_a)
    job = services.employment_add(case=case, actor=caseworker_a, data={"employer": "Agro"})
    services.employment_update(
        employment=job, actor=caseworker_a, version=1, data={"actual_hours_per_week": 80}
    )
    with pytest.raises(StaleVersion):
        services.employment_update(
            employment=job, actor=caseworker_a, version=1, data={"employer": "Other"}
        )


def test_duplicates_by_document_number_are_found_ignoring_spaces_and_case(caseworker_a):
    other = CaseFactory(organization=caseworker_a.organization)
    IdentityDocumentFactory(case=other, number="FA1234567")
    found = selectors.case_possible_duplicates(caseworker_a, document_numbers=["fa 1234-567"])
    assert found.visible == [other] and not found.elsewhere


def test_duplicates_by_names_birth_and_citizenship(caseworker_a):
    other = CaseFactory(
        organization=caseworker_a.organization,
        person=PersonFactory(given_name="Aziz", family_name="Karimov", citizenship="UZ"),
    )
    found = selectors.case_possible_duplicates(
        caseworker_a,
        given_name="aziz",
        family_name="KARIMOV",
        date_of_birth=other.person.date_of_birth,
        citizenship="UZ",
    )
    assert found.visible == [other]
    assert not selectors.case_possible_duplicates(
        caseworker_a,
        given_name="Aziz",
        family_name="Karimov",
        date_of_birth=date(2000, 1, 1),
        citizenship="UZ",
    )


def test_a_duplicate_in_another_organisation_is_only_mentioned(caseworker_a, caseworker_b):
    other = CaseFactory(organization=caseworker_b.organization)
    IdentityDocumentFactory(case=other, number="X1")
    found = selectors.case_possible_duplicates(caseworker_a, document_numbers=["X1"])
    assert found.visible == [] and found.elsewhere is True


def test_a_case_keeps_its_persons_citizenship_for_the_list_filter(caseworker_a):
    case = open_case(caseworker_a)
    assert Case.objects.get(pk=case.pk).citizenship == "UZ"
    # A second case about the same person follows too.
    twin = CaseFactory(organization=caseworker_a.organization, person=case.person)

    services.case_update(
        case=case, actor=caseworker_a, version=1, data={"person": {"citizenship": "TJ"}}
    )

    assert set(Case.objects.filter(person=case.person).values_list("citizenship", flat=True)) == {
        "TJ"
    }
    assert list(selectors.case_filter(Case.objects.all(), {"citizenship": "TJ"})) == [twin, case]
    assert not selectors.case_filter(Case.objects.all(), {"citizenship": "UZ"}).exists()


def test_the_migration_copies_each_persons_citizenship_onto_their_cases():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    kg = CaseFactory(person=PersonFactory(citizenship="KG"))
    uz = CaseFactory(person=PersonFactory(citizenship="UZ"))
    Case.objects.update(citizenship="")

    migration = import_module("apps.cases.migrations.0013_case_citizenship")
    # What the backfill uses of a schema editor (SQLite's cannot open inside a test's atomic).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.backfill(apps, editor)

    assert Case.objects.get(pk=kg.pk).citizenship == "KG"
    assert Case.objects.get(pk=uz.pk).citizenship == "UZ"
