import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from apps.cases.models import Person
from apps.core import crypto
from tests.cases.factories import CaseFactory, IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    """Real Fernet keys in the settings, reset before and after."""
    settings.CASEMGR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.CASEMGR_SEARCH_KEY = "search-key-one"
    crypto.reset_keys()
    yield settings
    crypto.reset_keys()


def test_personal_data_is_ciphertext_in_the_database_and_plain_in_the_application(keys):
    person = PersonFactory(
        given_name="Gulnora", family_name="Nazarova", date_of_birth=datetime.date(1990, 5, 4),
        phone="+77010000000", address="Astana, Abai 1",
    )  # fmt: skip
    for column, plain in [
        ("given_name", "Gulnora"), ("family_name", "Nazarova"), ("date_of_birth", "1990-05-04"),
        ("phone", "+77010000000"), ("address", "Astana, Abai 1"),
    ]:  # fmt: skip
        stored = _raw("cases_person", column, person.pk)
        assert stored.startswith("enc1:") and plain not in stored
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.given_name, fresh.date_of_birth) == ("Gulnora", datetime.date(1990, 5, 4))


def test_document_numbers_and_notes_are_encrypted(keys):
    document = IdentityDocumentFactory(number="FA 1234567")
    assert "1234567" not in _raw("cases_identitydocument", "number", document.pk)
    assert "1234567" not in _raw("cases_identitydocument", "number_hash", document.pk)


def test_exact_names_and_document_numbers_are_searchable(api, caseworker_a, keys):
    case = CaseFactory(
        organization=caseworker_a.organization,
        person=PersonFactory(given_name="Gulnora", family_name="Nazarova"),
    )
    IdentityDocumentFactory(case=case, number="FA 1234567")
    client = api.as_user(caseworker_a)

    def found(q):
        return [c["id"] for c in client.get("/api/v1/cases/", {"q": q}).json()["results"]]

    assert found("nazarova") == [case.pk]  # case does not matter
    assert found("Nazarova Gulnora") == [case.pk]
    assert found("fa-1234567") == [case.pk]  # neither do spaces and dashes
    assert found("Nazar") == []  # names match whole words only: they are not stored readable


def test_rotation_re_encrypts_with_the_new_key_and_rehashes(api, caseworker_a, keys):
    old_key = keys.CASEMGR_ENCRYPTION_KEYS[0]
    case = CaseFactory(
        organization=caseworker_a.organization,
        person=PersonFactory(given_name="Aziz", family_name="Karimov"),
    )
    new_key = Fernet.generate_key().decode()
    keys.CASEMGR_ENCRYPTION_KEYS = [new_key, old_key]
    keys.CASEMGR_SEARCH_KEY = "search-key-two"
    call_command("rotate_encryption_keys")

    keys.CASEMGR_ENCRYPTION_KEYS = [new_key]
    crypto.reset_keys()
    assert Person.objects.get(pk=case.person_id).family_name == "Karimov"
    token = _raw("cases_person", "family_name", case.person_id)[len("enc1:") :]
    assert Fernet(new_key).decrypt(token.encode()) == b"Karimov"
    results = api.as_user(caseworker_a).get("/api/v1/cases/", {"q": "Karimov"}).json()
    assert [c["id"] for c in results["results"]] == [case.pk]


def test_values_written_before_encryption_stay_readable():
    assert crypto.decrypt("plain legacy value") == "plain legacy value"
    assert crypto.rotate("plain legacy value").startswith("enc1:")


def test_a_screening_keeps_the_persons_age_for_the_report(inspector):
    from apps.screening.services import age_on

    assert age_on(datetime.date(2000, 2, 29), datetime.date(2026, 2, 28)) == 25
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2026, 3, 1)) == 26
    assert age_on(None, datetime.date(2026, 3, 1)) is None


def test_timeline_events_keep_old_and_new_values_encrypted(caseworker_a, keys):
    from apps.cases.services import case_event_record

    case = CaseFactory(organization=caseworker_a.organization)
    event = case_event_record(
        case=case, actor=caseworker_a, kind="case_updated",
        data={"changes": {"family_name": ["Karimova", "Rahimova"]}},
    )  # fmt: skip
    assert "Karimova" not in _raw("cases_caseevent", "data", event.pk)
    event.refresh_from_db()
    assert event.data == {"changes": {"family_name": ["Karimova", "Rahimova"]}}
