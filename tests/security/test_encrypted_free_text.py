"""The employer, the border crossing point, a removal override's justification and a
proceeding's file number are encrypted at rest, readable through the API, encrypted in dumps,
encrypted by a migration where they were plain, and erased at retention (issue 18 item 7)."""

import importlib
import io
import json
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.cases.models import Case, Employment, Person
from apps.cases.retention import ERASED_JUSTIFICATION, case_anonymise
from apps.proceedings.models import Proceeding
from apps.removals.models import Removal
from apps.screening.services import screening_create
from tests.cases.factories import CaseFactory, EmploymentFactory, PersonFactory
from tests.proceedings.factories import ProceedingFactory
from tests.screening.patterns import POSSIBLE

pytestmark = pytest.mark.django_db

EMPLOYER, CROSSING = "Agro-Sever Khozyaistvo LLP", "Zhibek Zholy checkpoint"
JUSTIFICATION = "Court order 12/2026 after formal identification: Karimbekova was not exploited."
FILE_NUMBER = "UD-2026-771204"
# table, column, the model's field and the plain value
COLUMNS = [
    ("cases_employment", "employer", EMPLOYER),
    ("cases_case", "border_crossing_point", CROSSING),
    ("removals_removal", "override_justification", JUSTIFICATION),
    ("proceedings_proceeding", "reference", FILE_NUMBER),
]


def _raw(table: str, column: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _raw_write(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def recorded(api, inspector, administrator):
    """Through the API: an inspector opens a case with its crossing point and employer, the
    person is flagged, the removal an inspector proposes is suspended and an administrator
    overrides it; the inspector records the proceeding with its file number."""
    client = api.as_user(inspector)
    opened = client.post(
        "/api/v1/cases/",
        {
            "person": {"family_name": "Karimbekova", "given_name": "Aigerim", "sex": "female",
                       "citizenship": "KG"},
            "region": "astana", "identified_via": "labour_inspection",
            "border_crossing_point": CROSSING,
            "employment": {"employer": EMPLOYER, "sector": "agriculture"},
        },
        format="json",
    )  # fmt: skip
    assert opened.status_code == 201, opened.json()
    case = Case.objects.get(pk=opened.json()["id"])
    screening_create(actor=inspector, case=case, answers=POSSIBLE, interview_language="ru")
    removal = client.post("/api/v1/removals/", {"case": case.pk, "grounds": "overstay"}).json()
    assert removal["status"] == "suspended"
    overridden = api.as_user(administrator).post(
        f"/api/v1/removals/{removal['id']}/override/",
        {"decision": "remove", "grounds": "public_order", "justification": JUSTIFICATION},
    )
    assert overridden.status_code == 200, overridden.json()
    api.as_user(inspector)
    proceeding = client.post(
        "/api/v1/proceedings/",
        {"cases": [case.pk], "reference": FILE_NUMBER, "exploitation": "labour",
         "opened_on": timezone.localdate().isoformat()},
        format="json",
    )  # fmt: skip
    assert proceeding.status_code == 201, proceeding.json()
    return {
        "case": case,
        "cases_employment": case.employments.get().pk,
        "cases_case": case.pk,
        "removals_removal": removal["id"],
        "proceedings_proceeding": proceeding.json()["id"],
    }


def test_the_four_fields_are_ciphertext_at_rest_and_plain_in_the_api(
    api, inspector, administrator, recorded
):
    for table, column, plain in COLUMNS:
        stored = _raw(table, column, recorded[table])
        assert stored.startswith("enc2:") and plain not in stored, (table, column)
    case = recorded["case"]
    detail = api.as_user(inspector).get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["border_crossing_point"] == CROSSING
    assert [e["employer"] for e in detail["employments"]] == [EMPLOYER]
    listed = api.as_user(inspector).get("/api/v1/cases/").json()["results"]
    assert [c["border_crossing_point"] for c in listed] == [CROSSING]
    removal = api.as_user(administrator).get(f"/api/v1/removals/{recorded['removals_removal']}/")
    assert removal.json()["override_justification"] == JUSTIFICATION
    proceeding = api.as_user(inspector).get(
        f"/api/v1/proceedings/{recorded['proceedings_proceeding']}/"
    )
    assert proceeding.json()["reference"] == FILE_NUMBER


def test_a_dump_holds_them_encrypted_and_loading_it_reads_them_back(recorded, tmp_path):
    dump = io.StringIO()
    labels = ["cases.case", "cases.employment", "cases.person", "removals.removal"]
    call_command("dumpdata", *labels, "proceedings.proceeding", stdout=dump)
    text = dump.getvalue()
    for _table, _column, plain in COLUMNS:
        assert plain not in text
    assert "Karimbekova" not in text and "enc2:" in text
    case = recorded["case"]
    Employment.objects.filter(case=case).update(employer="Changed LLP")
    Person.objects.filter(pk=case.person_id).update(family_name="Changed")
    Proceeding.objects.filter(pk=recorded["proceedings_proceeding"]).update(reference="X")

    fixture = tmp_path / "dump.json"
    fixture.write_text(text)
    call_command("loaddata", str(fixture), stdout=io.StringIO())

    assert Employment.objects.get(case=case).employer == EMPLOYER
    assert Person.objects.get(pk=case.person_id).family_name == "Karimbekova"
    assert Proceeding.objects.get(pk=recorded["proceedings_proceeding"]).reference == FILE_NUMBER
    # Written back once, not encrypted twice.
    assert _raw("cases_employment", "employer", recorded["cases_employment"]).startswith("enc2:")


def test_a_stored_value_pasted_into_a_field_is_kept_as_typed_never_decrypted(
    api, inspector, recorded
):
    """Someone who copied a ciphertext out of the database cannot make the application read it
    to them by typing it into a field."""
    token = _raw("cases_employment", "employer", recorded["cases_employment"])
    case = recorded["case"]
    answer = api.as_user(inspector).post(
        f"/api/v1/cases/{case.pk}/employment/", {"employer": token[:200]}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["employer"] == token[:200]
    assert EMPLOYER not in json.dumps(answer.json())


def test_retention_erases_them_and_a_file_number_goes_with_the_last_case_kept(
    api, inspector, recorded
):
    case = recorded["case"]
    other = CaseFactory(
        organization=case.organization, reference="KZ-2026-900001", border_crossing_point="Korday"
    )
    proceeding = Proceeding.objects.get(pk=recorded["proceedings_proceeding"])
    proceeding.cases.add(other)
    closed = timezone.now() - timedelta(days=365 * 7)
    Case.objects.filter(pk__in=[case.pk, other.pk]).update(status="closed", closed_at=closed)

    case_anonymise(case=case)
    case.refresh_from_db()
    assert case.border_crossing_point == "" and case.anonymised_at is not None
    assert Employment.objects.get(case=case).employer == ""
    removal = Removal.objects.get(pk=recorded["removals_removal"])
    assert removal.override_justification == ERASED_JUSTIFICATION and removal.overridden
    assert JUSTIFICATION not in removal.override_justification
    # The other victim's case is still kept: so is the proceeding's file number.
    assert Proceeding.objects.get(pk=proceeding.pk).reference == FILE_NUMBER

    case_anonymise(case=other)
    assert Proceeding.objects.get(pk=proceeding.pk).reference == ""
    assert Case.objects.get(pk=other.pk).border_crossing_point == ""
    # What the annual report counts stays.
    assert Proceeding.objects.get(pk=proceeding.pk).exploitation == "labour"
    assert removal.status == "decided_remove" and removal.override_grounds == "public_order"


MIGRATIONS = [
    (
        "apps.cases.migrations.0023_encrypt_employer_and_crossing",
        ["cases_employment", "cases_case"],
    ),
    ("apps.removals.migrations.0005_encrypt_override_justification", ["removals_removal"]),
    ("apps.proceedings.migrations.0002_encrypt_reference", ["proceedings_proceeding"]),
]


def test_the_migrations_encrypt_existing_plain_rows_and_reverse_to_plain(inspector):
    case = CaseFactory(organization=inspector.organization, created_by=inspector)
    rows = {
        "cases_employment": EmploymentFactory(case=case).pk,
        "cases_case": case.pk,
        "removals_removal": Removal.objects.create(
            case=case, grounds="overstay", proposed_on=timezone.localdate(), proposed_by=inspector
        ).pk,
        "proceedings_proceeding": ProceedingFactory(created_by=inspector, cases=[case]).pk,
    }
    empty = CaseFactory(organization=inspector.organization, person=PersonFactory())
    for table, column, plain in COLUMNS:
        _raw_write(table, column, rows[table], plain)  # as written before these migrations
    for module, _tables in MIGRATIONS:
        importlib.import_module(module).encrypt_existing_rows(django_apps, None)
    for table, column, plain in COLUMNS:
        stored = _raw(table, column, rows[table])
        assert stored.startswith("enc2:") and plain not in stored
    assert _raw("cases_case", "border_crossing_point", empty.pk) == ""  # empty stays empty
    assert Employment.objects.get(pk=rows["cases_employment"]).employer == EMPLOYER
    assert Proceeding.objects.get(pk=rows["proceedings_proceeding"]).reference == FILE_NUMBER

    for module, _tables in reversed(MIGRATIONS):
        importlib.import_module(module).decrypt_existing_rows(django_apps, None)
    for table, column, plain in COLUMNS:
        assert _raw(table, column, rows[table]) == plain
