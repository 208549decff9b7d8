import base64
import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from apps.cases.models import CaseNote, Person
from apps.core import crypto
from tests.cases.factories import (
    CaseFactory,
    CaseNoteFactory,
    IdentityDocumentFactory,
    PersonFactory,
)

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
        assert stored.startswith("enc2:") and plain not in stored
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
    token = _raw("cases_person", "family_name", case.person_id)
    assert token.startswith("enc2:")
    keys.CASEMGR_ENCRYPTION_KEYS = [old_key]
    crypto.reset_keys()
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(token)  # the old key no longer reads it
    keys.CASEMGR_ENCRYPTION_KEYS = [new_key]
    crypto.reset_keys()
    results = api.as_user(caseworker_a).get("/api/v1/cases/", {"q": "Karimov"}).json()
    assert [c["id"] for c in results["results"]] == [case.pk]


def test_rotation_goes_through_every_row_batch_by_batch(api, caseworker_a, keys):
    old_key = keys.CASEMGR_ENCRYPTION_KEYS[0]
    names = ["Karimov", "Nazarova", "Rahimov", "Tursunova", "Usmonov"]
    cases = [
        CaseFactory(organization=caseworker_a.organization, person=PersonFactory(family_name=n))
        for n in names
    ]
    documents = [
        IdentityDocumentFactory(case=c, number=f"FA100000{i}") for i, c in enumerate(cases)
    ]
    new_key = Fernet.generate_key().decode()
    keys.CASEMGR_ENCRYPTION_KEYS = [new_key, old_key]
    keys.CASEMGR_SEARCH_KEY = "search-key-three"
    call_command("rotate_encryption_keys", batch_size=2, stdout=io.StringIO())

    keys.CASEMGR_ENCRYPTION_KEYS = [new_key]
    crypto.reset_keys()
    client = api.as_user(caseworker_a)
    for case, name, document in zip(cases, names, documents, strict=True):
        assert Person.objects.get(pk=case.person_id).family_name == name
        found = client.get("/api/v1/cases/", {"q": name}).json()["results"]
        assert [c["id"] for c in found] == [case.pk]
        found = client.get("/api/v1/cases/", {"q": document.number}).json()["results"]
        assert [c["id"] for c in found] == [case.pk]


def test_values_written_before_encryption_stay_readable():
    assert crypto.decrypt("plain legacy value") == "plain legacy value"
    assert crypto.rotate("plain legacy value").startswith("enc2:")


def test_values_written_with_fernet_stay_readable_and_rotation_rewrites_them(keys):
    """`enc1:` values (Fernet, before AES-GCM) are read with the same configured keys."""
    fernet_token = "enc1:" + Fernet(keys.CASEMGR_ENCRYPTION_KEYS[0]).encrypt(b"Karimov").decode()
    assert crypto.decrypt(fernet_token) == "Karimov"
    rotated = crypto.rotate(fernet_token)
    assert rotated.startswith("enc2:") and crypto.decrypt(rotated) == "Karimov"

    person = PersonFactory(family_name="Placeholder")
    note = CaseNoteFactory(text="Placeholder")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET family_name = %s WHERE id = %s", [fernet_token, person.pk]
        )
        cursor.execute("UPDATE cases_casenote SET text = %s WHERE id = %s", [fernet_token, note.pk])
    assert Person.objects.get(pk=person.pk).family_name == "Karimov"
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    assert _raw("cases_person", "family_name", person.pk).startswith("enc2:")
    assert _raw("cases_casenote", "text", note.pk).startswith("enc2:")
    assert Person.objects.get(pk=person.pk).family_name == "Karimov"
    assert CaseNote.objects.get(pk=note.pk).text == "Karimov"
    assert _raw("cases_case", "outcome", note.case_id) == ""  # empty stays empty


def test_every_encryption_has_its_own_nonce_and_tampering_is_detected(keys):
    first, second = crypto.encrypt("Karimov"), crypto.encrypt("Karimov")
    assert first != second  # equal names are not visible as equal ciphertexts
    raw = bytearray(base64.urlsafe_b64decode(first[len("enc2:") :]))
    raw[-1] ^= 1
    tampered = "enc2:" + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(tampered)
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt("enc2:not base64!")
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt("enc2:" + base64.urlsafe_b64encode(b"short").decode())


def test_a_value_encrypted_with_an_older_key_is_read_while_that_key_is_listed(keys):
    old_key = keys.CASEMGR_ENCRYPTION_KEYS[0]
    token = crypto.encrypt("Nazarova")
    keys.CASEMGR_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    crypto.reset_keys()
    assert crypto.decrypt(token) == "Nazarova"
    keys.CASEMGR_ENCRYPTION_KEYS = [keys.CASEMGR_ENCRYPTION_KEYS[0]]
    crypto.reset_keys()
    with pytest.raises(ImproperlyConfigured, match="CASEMGR_ENCRYPTION_KEYS"):
        crypto.decrypt(token)


def test_keys_of_the_wrong_format_are_refused(keys):
    keys.CASEMGR_ENCRYPTION_KEYS = ["not-a-key"]
    crypto.reset_keys()
    with pytest.raises(ImproperlyConfigured, match="32 url-safe"):
        crypto.encrypt("x")


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
