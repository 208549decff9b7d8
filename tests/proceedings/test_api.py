import pytest

from apps.audit.models import AuditEntry
from apps.cases.models import CaseEvent
from apps.proceedings.models import Proceeding
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.proceedings.translations import translated

pytestmark = pytest.mark.django_db
URL = "/api/v1/proceedings/"


@pytest.fixture
def case_a(caseworker_a):
    return CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)


@pytest.fixture
def case_b(caseworker_b):
    return CaseFactory(organization=caseworker_b.organization, created_by=caseworker_b)


def payload(case, **overrides):
    data = {
        "cases": [case.pk],
        "exploitation": "labour",
        "opened_on": "2025-02-01",
        "prosecuted_on": "2025-05-01",
        "convicted_on": None,
        "acquitted_on": None,
        "official_complicity": True,
    }
    data.update(overrides)
    return data


def test_a_caseworker_records_a_proceeding_for_a_case_of_their_organisation(
    api, caseworker_a, case_a
):
    response = api.as_user(caseworker_a).post(URL, payload(case_a), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cases"] == [case_a.pk]
    assert body["exploitation"] == "labour"
    assert body["official_complicity"] is True
    assert body["version"] == 1
    assert body["organization"] == caseworker_a.organization_id
    proceeding = Proceeding.objects.get()
    assert AuditEntry.objects.filter(
        action="create", target_type="proceedings.proceeding", target_id=str(proceeding.pk)
    ).exists()
    assert CaseEvent.objects.filter(case=case_a, kind="proceeding_linked").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"prosecuted_on": "2025-01-01"}, "prosecuted_on"),
        ({"convicted_on": "2025-04-01"}, "convicted_on"),
        ({"prosecuted_on": None, "acquitted_on": "2025-06-01"}, "acquitted_on"),
        ({"convicted_on": "2025-06-01", "acquitted_on": "2025-06-02"}, "acquitted_on"),
        ({"exploitation": "organ_removal"}, "exploitation"),
        ({"opened_on": None}, "opened_on"),
        ({"cases": []}, "cases"),
    ],
)
def test_dates_out_of_order_and_bad_values_are_refused_with_field_errors(
    api, caseworker_a, case_a, overrides, field
):
    response = api.as_user(caseworker_a).post(URL, payload(case_a, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Proceeding.objects.exists()


def test_a_case_of_another_organisation_is_refused_like_one_that_does_not_exist(
    api, caseworker_a, case_b
):
    other = api.as_user(caseworker_a).post(URL, payload(case_b), format="json")
    missing = api.post(URL, {**payload(case_b), "cases": [999999]}, format="json")
    assert other.status_code == missing.status_code == 400
    assert other.json()["cases"] == missing.json()["cases"]
    assert not Proceeding.objects.exists()


def test_errors_follow_the_requested_language(api, caseworker_a, case_a):
    response = api.as_user(caseworker_a).post(
        URL, payload(case_a, prosecuted_on="2024-01-01"), format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    expected = translated("The prosecution cannot start before the investigation.", "ru")
    assert response.json()["prosecuted_on"] == [expected]


def test_ngo_b_never_sees_ngo_a_proceedings(api, caseworker_a, caseworker_b, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    client = api.as_user(caseworker_b)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{proceeding.pk}/").status_code == 404
    response = client.patch(f"{URL}{proceeding.pk}/", {"version": 1}, format="json")
    assert response.status_code == 404


def test_a_proceeding_linked_to_a_visible_case_is_listed_but_not_editable(
    api, caseworker_a, caseworker_b, case_a, case_b
):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a, case_b])
    client = api.as_user(caseworker_b)
    assert [p["id"] for p in client.get(URL).json()["results"]] == [proceeding.pk]
    response = client.patch(
        f"{URL}{proceeding.pk}/", {"version": 1, "official_complicity": True}, format="json"
    )
    assert response.status_code == 403


def test_an_update_with_an_old_version_is_refused_with_409(api, caseworker_a, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    client = api.as_user(caseworker_a)
    first = client.patch(
        f"{URL}{proceeding.pk}/", {"version": 1, "prosecuted_on": "2025-04-01"}, format="json"
    )
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 2
    stale = client.patch(
        f"{URL}{proceeding.pk}/", {"version": 1, "convicted_on": "2025-09-01"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    proceeding.refresh_from_db()
    assert proceeding.convicted_on is None


def test_an_update_without_a_version_is_refused(api, caseworker_a, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    response = api.as_user(caseworker_a).patch(
        f"{URL}{proceeding.pk}/", {"official_complicity": True}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_an_update_keeps_the_dates_in_order(api, caseworker_a, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    response = api.as_user(caseworker_a).patch(
        f"{URL}{proceeding.pk}/", {"version": 1, "convicted_on": "2025-09-01"}, format="json"
    )
    assert response.status_code == 400
    assert "convicted_on" in response.json()


def test_auditors_read_every_proceeding_but_change_none(api, auditor, caseworker_a, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    client = api.as_user(auditor)
    assert client.get(URL).json()["count"] == 1
    assert client.get(f"{URL}{proceeding.pk}/").status_code == 200
    assert client.post(URL, payload(case_a), format="json").status_code == 403
    assert client.patch(f"{URL}{proceeding.pk}/", {"version": 1}).status_code == 403


def test_reading_one_proceeding_is_audited(api, administrator, caseworker_a, case_a):
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a])
    api.as_user(administrator).get(f"{URL}{proceeding.pk}/")
    assert AuditEntry.objects.filter(
        action="read", target_type="proceedings.proceeding", target_id=str(proceeding.pk)
    ).exists()


def test_the_list_filters_by_exploitation_and_case(api, administrator, caseworker_a, case_a):
    ProceedingFactory(created_by=caseworker_a, cases=[case_a], exploitation="sexual")
    ProceedingFactory(created_by=caseworker_a, cases=[], exploitation="labour")
    client = api.as_user(administrator)
    assert client.get(URL, {"exploitation": "sexual"}).json()["count"] == 1
    assert client.get(URL, {"case": case_a.pk}).json()["count"] == 1
    assert client.get(URL, {"exploitation": "bogus"}).status_code == 400


def test_the_list_needs_the_same_queries_for_any_page_size(
    api, administrator, caseworker_a, django_assert_max_num_queries
):
    for _ in range(12):
        case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
        ProceedingFactory(created_by=caseworker_a, cases=[case])
    client = api.as_user(administrator)
    with django_assert_max_num_queries(4):
        small = client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = client.get(URL, {"page_size": 12})
    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 12


def test_a_proceeding_names_only_the_cases_the_reader_may_see(
    api, administrator, caseworker_a, caseworker_b, case_a, case_b
):
    """NGO B sees the proceeding through its own case, and only that case's id: not NGO A's,
    in the record, the list, or the answer to a write; the `case` filter works only on cases
    the reader may see."""
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case_a, case_b])
    client = api.as_user(caseworker_b)
    assert client.get(f"{URL}{proceeding.pk}/").json()["cases"] == [case_b.pk]
    assert [p["cases"] for p in client.get(URL).json()["results"]] == [[case_b.pk]]
    assert client.get(URL, {"case": case_b.pk}).json()["count"] == 1
    assert client.get(URL, {"case": case_a.pk}).json()["count"] == 0
    assert client.get(URL, {"case": 999_999}).json()["count"] == 0
    mine = ProceedingFactory(created_by=caseworker_b, cases=[case_b])
    written = client.patch(
        f"{URL}{mine.pk}/", {"version": 1, "cases": [case_b.pk]}, format="json"
    ).json()
    assert written["cases"] == [case_b.pk]
    # Those who see everything see every case.
    full = api.as_user(administrator).get(f"{URL}{proceeding.pk}/").json()
    assert full["cases"] == [case_a.pk, case_b.pk]
    assert api.as_user(administrator).get(URL, {"case": case_a.pk}).json()["count"] == 1


def test_an_organisations_list_needs_the_same_queries_for_any_page_size(
    api, caseworker_a, caseworker_b, case_b, django_assert_max_num_queries
):
    for _ in range(12):
        case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
        ProceedingFactory(created_by=caseworker_a, cases=[case, case_b])
    client = api.as_user(caseworker_b)
    with django_assert_max_num_queries(6):
        small = client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(6):
        large = client.get(URL, {"page_size": 12})
    assert len(small.json()["results"]) == 2
    assert {tuple(p["cases"]) for p in large.json()["results"]} == {(case_b.pk,)}
