"""The matcher where it is used: the duplicate check, the case search, the stored keys."""

import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from apps.audit.models import AuditEntry
from apps.cases import identity, selectors
from apps.cases.matching import person_keys, persons_matching
from apps.cases.models import CaseNameKey, PersonMatchKey
from apps.cases.retention import case_anonymise
from apps.cases.services import case_close
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"
NAMES = ("Dilshod", "Karimov", "Дилшод", "Каримов")


def karimov(org, **person):
    values = {
        "given_name": "Dilshod",
        "family_name": "Karimov",
        "date_of_birth": date(1994, 5, 2),
        "sex": "male",
        "citizenship": "UZ",
        **person,
    }
    return CaseFactory(organization=org, person=PersonFactory(**values))


def test_the_cyrillic_spelling_finds_the_latin_one_in_another_organisation_without_content(
    api, caseworker_a, caseworker_b
):
    theirs = karimov(caseworker_b.organization)
    response = api.as_user(caseworker_a).post(
        f"{URL}duplicates/",
        {
            "given_name": "Дилшод",
            "family_name": "Каримов",
            "date_of_birth": "1994-05-02",
            "citizenship": "UZ",
        },
        format="json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["cases"] == [] and body["elsewhere"] is True and body["same_person"] is True
    assert theirs.reference not in response.content.decode()
    assert "Karimov" not in response.content.decode()


def test_swapped_names_and_a_day_month_swap_are_still_the_same_person(caseworker_a):
    own = karimov(caseworker_a.organization)
    found = selectors.case_possible_duplicates(
        caseworker_a,
        given_name="Каримов",
        family_name="Дилшод",
        date_of_birth=date(1994, 2, 5),
        citizenship="UZ",
    )
    assert found.visible == [own]
    assert found.scores[own.pk] >= identity.REVIEW


def test_a_twin_and_a_namesake_of_another_year_are_not_duplicates(caseworker_a):
    karimov(caseworker_a.organization)
    twin = selectors.case_possible_duplicates(
        caseworker_a,
        given_name="Jamshid",
        family_name="Karimov",
        date_of_birth=date(1994, 5, 2),
        citizenship="UZ",
    )
    namesake = selectors.case_possible_duplicates(
        caseworker_a,
        given_name="Dilshod",
        family_name="Karimov",
        date_of_birth=date(1971, 5, 2),
        citizenship="UZ",
    )
    # A twin may be worth a look (the review band), never "the same person"; a namesake born
    # in another year is no match at all.
    assert not twin.same_person and all(v < identity.SAME_PERSON for v in twin.scores.values())
    assert not namesake


def test_the_case_search_finds_a_name_in_either_script(api, caseworker_a, caseworker_b):
    latin = karimov(caseworker_a.organization)
    cyrillic = karimov(caseworker_a.organization, given_name="Азиз", family_name="Каримова")
    karimov(caseworker_b.organization)  # not visible to caseworker A
    client = api.as_user(caseworker_a)

    def ids(q):
        return {row["id"] for row in client.get(URL, {"q": q}).json()["results"]}

    assert ids("Каримов") == {latin.pk, cyrillic.pk}
    assert ids("karimov") == {latin.pk, cyrillic.pk}
    assert ids("Дилшод") == {latin.pk}
    assert ids("Aziz") == {cyrillic.pk}
    assert ids("Kamilov") == set()


def test_the_case_search_ranks_the_closest_spelling_first(api, caseworker_a):
    # Created oldest first: without the rank, the list's newest-first order would be reversed.
    latin = karimov(caseworker_a.organization)
    cyrillic = karimov(caseworker_a.organization, family_name="Каримов")
    variant = karimov(caseworker_a.organization, family_name="Karimova")
    client = api.as_user(caseworker_a)

    def ranked(q):
        return [row["id"] for row in client.get(URL, {"q": q}).json()["results"]]

    assert ranked("Karimov") == [latin.pk, cyrillic.pk, variant.pk]
    assert ranked("Каримов") == [cyrillic.pk, latin.pk, variant.pk]
    assert ranked("Karimova") == [variant.pk, cyrillic.pk, latin.pk]
    # Two words: both spelt as typed beat one.
    both = karimov(caseworker_a.organization, given_name="Дилшод", family_name="Каримов")
    assert ranked("Дилшод Каримов")[0] == both.pk
    # Without a name in the search, the list keeps its order (newest first).
    assert ranked("")[:2] == [both.pk, variant.pk]


def test_a_national_search_of_a_name_too_common_to_rank_keeps_newest_first_and_says_so(
    api, client, caseworker_a, monkeypatch
):
    from apps.accounts.models import User

    admin = User.objects.create_user(username="ranker", password="x" * 12, role="administrator")
    latin = karimov(caseworker_a.organization)
    variant = karimov(caseworker_a.organization, family_name="Karimova")
    client.force_login(admin)
    response = client.get("/cases/", {"q": "Karimov"})
    assert [c.pk for c in response.context["page"]] == [latin.pk, variant.pk]
    assert "Closest spellings first." in response.content.decode()
    # Two people write the surname's skeleton: over a limit of one, the list is not ranked.
    monkeypatch.setattr(selectors, "RANK_LIMIT", 1)
    response = client.get("/cases/", {"q": "Karimov"})
    assert [c.pk for c in response.context["page"]] == [variant.pk, latin.pk]
    assert "add a given name" in response.content.decode()
    api_ids = [r["id"] for r in api.as_user(admin).get(URL, {"q": "Karimov"}).json()["results"]]
    assert api_ids == [variant.pk, latin.pk]
    # The rarer given name is few enough: ranked again.
    assert (
        selectors.is_ranked(
            selectors.case_filter(
                selectors.case_list_for_user(admin), {"q": "Dilshod Karimov"}, user=admin
            )
        )
        is False
    )  # both people are named Dilshod: still over the limit of one
    # Within one organisation every search is ranked, whatever the limit.
    own = api.as_user(caseworker_a).get(URL, {"q": "Karimov"}).json()["results"]
    assert [r["id"] for r in own] == [latin.pk, variant.pk]


def test_the_html_case_list_shows_the_search_in_its_rank(client, caseworker_a):
    latin = karimov(caseworker_a.organization)
    karimov(caseworker_a.organization, family_name="Karimova")
    client.force_login(caseworker_a)
    response = client.get("/cases/", {"q": "Karimov"})
    page = list(response.context["page"])
    assert response.status_code == 200
    assert page[0].pk == latin.pk and len(page) == 2


def test_the_duplicate_check_is_audited_without_the_name_and_rate_limited(
    api, caseworker_a, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.CASEMGR_DUPLICATE_CHECKS_PER_HOUR = 2
    client = api.as_user(caseworker_a)
    body = {"given_name": "Dilshod", "family_name": "Karimov", "date_of_birth": "1994-05-02"}
    assert client.post(f"{URL}duplicates/", body, format="json").status_code == 200
    assert client.post(f"{URL}duplicates/", body, format="json").status_code == 200
    limited = client.post(f"{URL}duplicates/", body, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert "Слишком много" in limited.json()["detail"]
    entries = AuditEntry.objects.filter(target_type="cases.person", actor=caseworker_a)
    assert entries.count() == 2
    for entry in entries:
        assert entry.details["duplicate_check"] is True
        assert not any(name in str(entry.details) for name in NAMES)


def test_keys_follow_the_name_and_go_with_anonymisation(caseworker_a):
    case = karimov(caseworker_a.organization)
    person = case.person
    assert set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True)) == (
        person_keys(person)
    )
    person.family_name = "Rahimov"
    person.save(update_fields=["family_name"])
    assert not persons_matching(identity.Identity(given_name="Dilshod", family_name="Karimov"))
    found = persons_matching(
        identity.Identity(
            given_name="Дилшод", family_name="Рахимов", date_of_birth=date(1994, 5, 2)
        )
    )
    assert [m.person_id for m in found] == [person.pk]

    case.refresh_from_db()
    case_close(case=case, actor=caseworker_a, outcome="Returned home", version=case.version)
    case.refresh_from_db()
    case_anonymise(case=case)
    assert not PersonMatchKey.objects.filter(person=person).exists()


def test_reindexing_with_a_new_search_key_keeps_the_matches(caseworker_a, settings):
    from apps.core import crypto

    case = karimov(caseworker_a.organization)
    before = set(PersonMatchKey.objects.filter(person=case.person).values_list("key", flat=True))
    settings.CASEMGR_SEARCH_KEY = "another-search-key"
    crypto.reset_keys()
    try:
        call_command("reindex_people", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = set(PersonMatchKey.objects.filter(person=case.person).values_list("key", flat=True))
        assert after and not (after & before)
        found = persons_matching(identity.Identity(given_name="Дилшод", family_name="Каримов"))
        assert [m.person_id for m in found] == [case.person_id]
    finally:
        crypto.reset_keys()


def _dump() -> str:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        host = connection.settings_dict.get("HOST") or "127.0.0.1"
        user = connection.settings_dict.get("USER") or "postgres"
        return subprocess.run(
            ["pg_dump", "-h", host, "-U", user, "--data-only", name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return "\n".join(connection.connection.iterdump())


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_neither_the_names_nor_their_skeletons(caseworker_a):
    karimov(caseworker_a.organization)
    karimov(caseworker_a.organization, given_name="Дилшод", family_name="Каримов")
    assert PersonMatchKey.objects.count() > 0
    assert CaseNameKey.objects.count() > 0  # the name search's table is in the dump too
    dump = _dump().casefold()
    readable = {*NAMES, *(identity.skeleton(n) for n in NAMES)}
    readable |= {identity.consonants(n) for n in NAMES}
    for text in readable:
        assert text.casefold() not in dump, text
