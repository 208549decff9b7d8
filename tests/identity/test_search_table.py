"""The name search's table (cases.CaseNameKey): what it holds, how it follows the cases and
their persons, and that a search reading it is scoped exactly as the list is."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from apps.cases import identity, selectors
from apps.cases.linking import person_link_undo, person_merge
from apps.cases.matching import name_word_keys, word_key
from apps.cases.models import CaseNameKey
from apps.cases.retention import case_anonymise
from apps.cases.services import case_close
from apps.screening.services import screening_create
from tests.cases.factories import CaseFactory, PersonFactory
from tests.screening.patterns import PRESUMED

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"
REASON = "The same passport number on both records, checked by phone."


def person_case(org, **person):
    values = {
        "given_name": "Dilshod",
        "family_name": "Karimov",
        "middle_name": "Aliyevich",
        "date_of_birth": date(1994, 5, 2),
        "sex": "male",
        "citizenship": "UZ",
        **person,
    }
    return CaseFactory(organization=org, person=PersonFactory(**values))


def stored(case) -> set[tuple[str, int]]:
    return set(CaseNameKey.objects.filter(case=case).values_list("key", "organization_id"))


def expected(case, person=None) -> set[tuple[str, int]]:
    return {(key, case.organization_id) for key in name_word_keys(person or case.person)}


def ids(client, q) -> list[int]:
    response = client.get(URL, {"q": q, "page_size": 50})
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_a_new_case_is_stored_under_the_keyed_skeleton_of_each_name_word(caseworker_a):
    case = person_case(caseworker_a.organization, given_name="Abdul-Aziz")
    keys = stored(case)
    # Abdul, Aziz, Karimov, Aliyevich: one keyed hash each, with the case's organisation.
    assert keys == expected(case) and len(keys) == 4
    assert (word_key("Каримова"), caseworker_a.organization_id) in keys
    # Only keyed hashes: 64 hexadecimal digits, never a name or a skeleton.
    for key, _org in keys:
        assert len(key) == 64 and int(key, 16) >= 0
        assert identity.skeleton("Karimov") not in key


def test_the_table_follows_a_rename_a_merge_and_its_undoing(api, caseworker_a, administrator):
    case = person_case(caseworker_a.organization)
    other = person_case(caseworker_a.organization, given_name="Rustam", family_name="Rahimov")
    client = api.as_user(caseworker_a)
    person = case.person
    person.family_name = "Юсупов"
    person.save(update_fields=["family_name"])
    assert stored(case) == expected(case, person)
    assert ids(client, "Yusupov") == [case.pk] and ids(client, "Karimov") == []

    # A merge moves the case to the other record: it is found under the other's names.
    link = person_merge(actor=administrator, case=case, other=other, reason=REASON)
    case.refresh_from_db()
    assert case.person_id == other.person_id and stored(case) == expected(case, other.person)
    assert ids(client, "Рахимов") == [other.pk, case.pk]
    assert ids(client, "Yusupov") == []
    person_link_undo(actor=administrator, link=link)
    case.refresh_from_db()
    assert stored(case) == expected(case, person)
    assert ids(client, "Yusupov") == [case.pk] and ids(client, "Rahimov") == [other.pk]


def test_anonymisation_deletes_the_keys_of_the_persons_cases(api, caseworker_a):
    case = person_case(caseworker_a.organization)
    kept = person_case(caseworker_a.organization, family_name="Karimova")
    case_close(case=case, actor=caseworker_a, outcome="Returned home", version=case.version)
    case.refresh_from_db()
    case_anonymise(case=case)
    assert not CaseNameKey.objects.filter(case=case).exists()
    assert stored(kept) == expected(kept)
    assert ids(api.as_user(caseworker_a), "Karimov") == [kept.pk]


def test_reindexing_with_a_new_search_key_rebuilds_the_table(api, caseworker_a, settings):
    from apps.core import crypto

    case = person_case(caseworker_a.organization, given_name="Дилшод", family_name="Каримов")
    before = stored(case)
    settings.CASEMGR_SEARCH_KEY = "another-search-key"
    crypto.reset_keys()
    try:
        call_command("reindex_people", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = stored(case)
        assert after == expected(case) and len(after) == len(before)
        assert not ({k for k, _ in after} & {k for k, _ in before})
        assert ids(api.as_user(caseworker_a), "Karimov") == [case.pk]
    finally:
        crypto.reset_keys()


def test_the_migration_fills_the_table_for_the_cases_already_stored(caseworker_a, caseworker_b):
    cases = [
        person_case(caseworker_a.organization),
        person_case(caseworker_b.organization, given_name="Азиз", family_name="Каримова"),
        person_case(caseworker_a.organization, given_name="", family_name="", middle_name=""),
    ]
    want = {case.pk: stored(case) for case in cases}
    assert want[cases[0].pk] and want[cases[1].pk] and not want[cases[2].pk]
    CaseNameKey.objects.all().delete()
    migration = importlib.import_module("apps.cases.migrations.0024_case_name_keys")
    migration.fill_keys(django_apps, None)
    assert {case.pk: stored(case) for case in cases} == want


def test_a_caseworkers_search_reads_the_table_and_stays_in_the_organisation(
    api, caseworker_a, caseworker_b, administrator
):
    own = person_case(caseworker_a.organization)
    elsewhere = person_case(caseworker_b.organization, family_name="Каримова")
    client = api.as_user(caseworker_a)
    assert ids(client, "Каримов") == [own.pk]
    # A row pointing at another organisation's case under caseworker A's organisation (which no
    # service writes) still shows nothing of it: the list's own scope is kept.
    CaseNameKey.objects.create(
        key=word_key("Karimov"), organization=caseworker_a.organization, case=elsewhere
    )
    assert ids(client, "Каримов") == [own.pk]
    # The caseworker's search is answered by the table: without its rows, nothing is found,
    # while a national reader (who searches the people) still finds both.
    CaseNameKey.objects.filter(case=own).delete()
    assert ids(client, "Каримов") == []
    assert set(ids(api.as_user(administrator), "Каримов")) == {own.pk, elsewhere.pk}


def test_an_inspectors_search_covers_the_inspectorate_and_the_cases_it_screened(
    api, inspector, caseworker_a, caseworker_b
):
    own = person_case(inspector.organization)
    screened = person_case(caseworker_a.organization, family_name="Karimova")
    screening_create(actor=inspector, case=screened, answers=PRESUMED, interview_language="ru")
    unseen = person_case(caseworker_b.organization)
    found = ids(api.as_user(inspector), "Каримов")
    assert set(found) == {own.pk, screened.pk} and unseen.pk not in found


def test_the_count_and_the_pages_of_a_caseworkers_search(api, caseworker_a, caseworker_b):
    cases = [person_case(caseworker_a.organization) for _ in range(7)]
    person_case(caseworker_b.organization)
    client = api.as_user(caseworker_a)
    first = client.get(URL, {"q": "Каримов", "page_size": 5}).json()
    second = client.get(URL, {"q": "Каримов", "page_size": 5, "page": 2}).json()
    assert first["count"] == 7 and first["count_is_lower_bound"] is False
    got = [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]]
    assert got == [c.pk for c in reversed(cases)]
    # Filters still apply beside the search.
    cases[0].status = "closed"
    cases[0].save_versioned(update_fields=["status"])
    closed = client.get(URL, {"q": "Karimov", "status": "closed"}).json()
    assert [r["id"] for r in closed["results"]] == [cases[0].pk]


def test_the_organisation_of_a_list_is_read_only_from_its_top_level_filter(
    caseworker_a, inspector, administrator
):
    from apps.cases.selectors import _organisation_of, case_list_for_user

    assert _organisation_of(case_list_for_user(caseworker_a).query) == (
        caseworker_a.organization_id
    )
    assert _organisation_of(case_list_for_user(inspector).query) is None
    assert _organisation_of(case_list_for_user(administrator).query) is None
    assert selectors.has_name_word("Karimov")
