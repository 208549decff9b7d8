"""The cases API of api.md: create, read, filters, versions, workflow codes, access."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from apps.audit.models import AuditEntry
from apps.cases import guards
from apps.cases.identity import REVIEW
from apps.cases.models import Case, CaseNote, Employment, IdentityDocument, Person
from apps.screening.models import Screening
from tests.cases.factories import (
    CaseFactory,
    EmploymentFactory,
    IdentityDocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def payload(**overrides):
    body = {
        "person": {
            "given_name": "Dilshod",
            "family_name": "Rakhimov",
            "sex": "male",
            "date_of_birth": "1992-03-04",
            "citizenship": "UZ",
            "languages": ["uz", "ru"],
        },
        "region": "astana",
        "sector": "construction",
        "identified_via": "labour_inspection",
        "entry_date": "2026-01-10",
        "stay_basis": "visa_free",
        "permit_valid_until": None,
    }
    person = overrides.pop("person", {})
    if isinstance(person, dict):
        body["person"].update(person)
    else:
        body["person"] = person
    body.update(overrides)
    return body


def detail(case):
    return f"{URL}{case.pk}/"


def test_a_caseworker_opens_a_case_and_reads_the_fields_of_api_md(api, caseworker_a):
    response = api.as_user(caseworker_a).post(URL, payload(), format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    for field in [
        "id", "reference", "status", "legal_stay_until", "overstay_days", "risk_level",
        "victim_status", "assigned_to", "organization", "version", "created_at",
    ]:  # fmt: skip
        assert field in body
    assert body["status"] == "open" and body["version"] == 1
    assert body["legal_stay_until"] == "2026-02-08"
    assert body["risk_level"] == "not_screened" and body["victim_status"] == "not_assessed"
    assert body["organization"] == caseworker_a.organization_id
    assert body["person"]["citizenship"] == "UZ"
    assert body["possible_duplicates"] == {
        "cases": [],
        "elsewhere": False,
        "confidence": None,
        "same_person": False,
    }


def test_an_inspector_opens_a_case_for_the_inspectorate(api, inspector):
    response = api.as_user(inspector).post(URL, payload(), format="json")
    assert response.status_code == 201
    assert response.json()["organization"] == inspector.organization_id


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_auditors_and_administrators_cannot_open_cases(api, request, persona):
    response = api.as_user(request.getfixturevalue(persona)).post(URL, payload(), format="json")
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_anonymous_callers_are_refused(api):
    assert api.get(URL).status_code == 401


def test_the_create_answer_warns_of_duplicates_without_revealing_other_organisations(
    api, caseworker_a, caseworker_b
):
    own = CaseFactory(organization=caseworker_a.organization)
    IdentityDocumentFactory(case=own, number="FA0000001")
    theirs = CaseFactory(
        organization=caseworker_b.organization,
        person=PersonFactory(
            given_name="Dilshod", family_name="Rakhimov", date_of_birth=date(1992, 3, 4)
        ),
    )
    body = payload(documents=[{"kind": "passport", "number": "FA 0000001", "held_by": "self"}])
    response = api.as_user(caseworker_a).post(URL, body, format="json")
    duplicates = response.json()["possible_duplicates"]
    # The own case shares only the document number (a lookup worth a check, not a certainty);
    # the other organisation's case is the same person by name and birth date.
    assert duplicates["cases"] == [{"id": own.pk, "reference": own.reference, "confidence": REVIEW}]
    assert duplicates["elsewhere"] is True and duplicates["same_person"] is True
    assert theirs.reference not in response.content.decode()


def test_a_duplicate_check_before_opening(api, caseworker_a, caseworker_b):
    theirs = CaseFactory(organization=caseworker_b.organization)
    response = api.as_user(caseworker_a).post(
        f"{URL}duplicates/",
        {
            "given_name": theirs.person.given_name,
            "family_name": theirs.person.family_name,
            "date_of_birth": "1995-04-12",
            "citizenship": "uz",
        },
        format="json",
    )
    assert response.json() == {
        "cases": [],
        "elsewhere": True,
        "confidence": 1.0,
        "same_person": True,
    }


BAD_INPUT = [
    ("person.given_name", {"person": {"given_name": ""}}),
    ("person.given_name", {"person": {"given_name": "x" * 151}}),
    ("person.sex", {"person": {"sex": "robot"}}),
    ("person.date_of_birth", {"person": {"date_of_birth": "1992-13-40"}}),
    ("person.date_of_birth", {"person": {"date_of_birth": "2999-01-01"}}),
    ("person.citizenship", {"person": {"citizenship": "XX"}}),
    ("person.citizenship", {"person": {"citizenship": "UZB"}}),
    ("person.languages", {"person": {"languages": ["xx"]}}),
    ("person.languages", {"person": {"languages": "uz"}}),
    ("person.email", {"person": {"email": "not-an-address"}}),
    ("person", {"person": "Dilshod"}),
    ("region", {"region": "mars"}),
    ("sector", {"sector": "mining"}),
    ("identified_via", {"identified_via": "rumour"}),
    ("identified_via", {"identified_via": None}),
    ("entry_date", {"entry_date": "yesterday"}),
    ("entry_date", {"entry_date": "2999-01-01"}),
    ("entry_date", {"entry_date": "1980-01-01"}),
    ("stay_basis", {"stay_basis": "tourist"}),
    ("permit_valid_until", {"permit_valid_until": "31.12.2026"}),
    ("permit_valid_until", {"stay_basis": "temporary_residence_permit"}),
    ("permit_valid_until", {"permit_valid_until": "2025-01-01"}),
    ("assigned_to", {"assigned_to": 999999}),
    ("documents.kind", {"documents": [{"kind": "diploma"}]}),
    ("documents.held_by", {"documents": [{"kind": "passport", "held_by": "boss"}]}),
    ("documents.issuing_country", {"documents": [{"kind": "passport", "issuing_country": "QQ"}]}),
    ("employment.employer", {"employment": {"employer": ""}}),
    (
        "employment.promised_wage_currency",
        {"employment": {"employer": "A", "promised_wage_currency": "XYZ"}},
    ),
    (
        "employment.promised_wage_amount",
        {"employment": {"employer": "A", "promised_wage_amount": "-5"}},
    ),
    (
        "employment.actual_hours_per_week",
        {"employment": {"employer": "A", "actual_hours_per_week": 200}},
    ),
]


@pytest.mark.parametrize(("field", "override"), BAD_INPUT, ids=[f for f, _ in BAD_INPUT])
def test_bad_input_of_every_field_is_a_clear_400_and_saves_nothing(
    api, caseworker_a, field, override
):
    response = api.as_user(caseworker_a).post(URL, payload(**override), format="json")
    assert response.status_code == 400, response.data
    errors = response.json()
    for part in field.split("."):
        assert part in errors, errors
        errors = errors[part]
        if isinstance(errors, dict) and "0" in errors:
            errors = errors["0"]  # the first item of a list, as DRF reports it
    assert not Case.objects.exists() and not Person.objects.exists()
    assert not IdentityDocument.objects.exists() and not Employment.objects.exists()


def test_errors_follow_accept_language(api, caseworker_a):
    response = api.as_user(caseworker_a).post(
        URL, payload(person={"email": "nobody"}), format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    with translation.override("ru"):
        expected = translation.gettext("Enter a valid email address.")
    assert response.json()["person"]["email"] == [expected] != ["Enter a valid email address."]


def test_each_organisation_lists_only_its_own_cases(api, caseworker_a, caseworker_b):
    own = CaseFactory(organization=caseworker_a.organization)
    CaseFactory(organization=caseworker_b.organization)
    body = api.as_user(caseworker_a).get(URL).json()
    assert [row["id"] for row in body["results"]] == [own.pk]


def test_another_organisations_case_and_its_parts_are_404(api, caseworker_a, caseworker_b):
    theirs = CaseFactory(organization=caseworker_b.organization)
    client = api.as_user(caseworker_a)
    for suffix in ["", "documents/", "employment/", "notes/", "timeline/"]:
        assert client.get(f"{detail(theirs)}{suffix}").status_code == 404
    assert client.patch(detail(theirs), {"version": 1}, format="json").status_code == 404
    assert client.post(f"{detail(theirs)}close/", {"outcome": "x", "version": 1}).status_code == 404


def test_an_inspector_reads_a_screened_case_of_another_organisation_but_cannot_change_it(
    api, inspector, caseworker_a
):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(inspector)
    assert client.get(detail(case)).status_code == 404
    Screening.objects.create(case=case, screened_by=inspector, catalogue_version="v")
    assert client.get(detail(case)).status_code == 200
    response = client.patch(detail(case), {"sector": "trade", "version": 1}, format="json")
    assert response.status_code == 403


def test_an_inspector_reads_the_inspectorates_cases(api, inspector):
    case = CaseFactory(organization=inspector.organization)
    assert api.as_user(inspector).get(detail(case)).status_code == 200


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_global_readers_read_every_case(api, request, persona, caseworker_a, caseworker_b):
    CaseFactory(organization=caseworker_a.organization)
    case = CaseFactory(organization=caseworker_b.organization)
    client = api.as_user(request.getfixturevalue(persona))
    assert client.get(URL).json()["count"] == 2
    assert client.get(detail(case)).status_code == 200


def test_an_auditor_changes_nothing(api, auditor, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(auditor)
    assert client.patch(detail(case), {"version": 1, "sector": "trade"}).status_code == 403
    assert client.post(f"{detail(case)}notes/", {"text": "x"}).status_code == 403
    assert client.post(f"{detail(case)}close/", {"outcome": "x", "version": 1}).status_code == 403
    assert Case.objects.get(pk=case.pk).version == 1


def test_an_administrator_may_change_any_case(api, administrator, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    response = api.as_user(administrator).patch(
        detail(case), {"version": 1, "sector": "trade"}, format="json"
    )
    assert response.status_code == 200 and response.json()["sector"] == "trade"


def test_every_read_of_a_case_is_audited(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    client.get(detail(case))
    client.get(f"{detail(case)}timeline/")
    reads = AuditEntry.objects.filter(action="read", target_type="cases.case", target_id=case.pk)
    assert reads.count() == 2
    client.get(URL)
    listed = AuditEntry.objects.filter(action="read", target_id="").get()
    assert listed.details["list"] == [case.pk]


def test_a_patch_with_the_current_version_changes_the_case_and_its_person(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    response = api.as_user(caseworker_a).patch(
        detail(case),
        {
            "version": 1,
            "person": {"family_name": "Karimova", "languages": ["uz"]},
            "region": "shymkent",
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    body = response.json()
    assert (body["version"], body["region"], body["person"]["family_name"]) == (
        2,
        "shymkent",
        "Karimova",
    )


def test_a_patch_with_a_stale_version_is_a_409(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    assert client.patch(detail(case), {"version": 1, "sector": "trade"}).status_code == 200
    response = client.patch(detail(case), {"version": 1, "sector": "timber"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert Case.objects.get(pk=case.pk).sector == "trade"


def test_a_patch_without_a_version_is_a_400(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    response = api.as_user(caseworker_a).patch(detail(case), {"sector": "trade"})
    assert response.status_code == 400 and "version" in response.json()


def test_a_bad_patch_changes_nothing(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    response = api.as_user(caseworker_a).patch(
        detail(case),
        {"version": 1, "sector": "trade", "person": {"citizenship": "ZZ"}},
        format="json",
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert (case.sector, case.version, case.person.citizenship) == ("construction", 1, "UZ")


def test_close_needs_an_outcome_and_refusals_are_a_409_with_reasons(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    response = client.post(f"{detail(case)}close/", {"version": 1})
    assert response.status_code == 400 and "outcome" in response.json()
    guard = lambda c: "Refer the presumed victim first."  # noqa: E731
    guards.register_close_guard(guard)
    try:
        response = client.post(f"{detail(case)}close/", {"version": 1, "outcome": "Returned"})
    finally:
        guards._close_guards.remove(guard)
    assert response.status_code == 409
    assert response.json()["code"] == "case_close_refused"
    assert "Refer the presumed victim first." in response.json()["detail"]


def test_close_and_reopen(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    response = client.post(f"{detail(case)}close/", {"version": 1, "outcome": "Returned home"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    response = client.post(f"{detail(case)}close/", {"version": 2, "outcome": "Again"})
    assert response.status_code == 409 and response.json()["code"] == "case_closed"
    response = client.post(f"{detail(case)}reopen/", {"version": 2, "reason": "New facts"})
    assert response.status_code == 200 and response.json()["status"] == "open"
    kinds = [e["kind"] for e in client.get(f"{detail(case)}timeline/").json()["results"]]
    assert kinds[:2] == ["case_reopened", "case_closed"]


def test_documents_employment_notes_and_timeline(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    response = client.post(
        f"{detail(case)}documents/",
        {"kind": "passport", "number": "FA1", "held_by": "recruiter"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_withheld"] is True
    document_id = response.json()["id"]
    response = client.patch(
        f"{detail(case)}documents/{document_id}/", {"held_by": "self", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.patch(
        f"{detail(case)}documents/{document_id}/", {"held_by": "employer", "version": 1}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    response = client.post(
        f"{detail(case)}employment/",
        {
            "employer": "Agro Farm",
            "promised_wage_amount": "300000.00",
            "promised_wage_currency": "kzt",
            "actual_wage_amount": "50000.00",
            "actual_wage_currency": "KZT",
            "actual_hours_per_week": 84,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.json()["promised_wage_currency"] == "KZT"
    assert client.post(f"{detail(case)}notes/", {"text": "Called the shelter."}).status_code == 201
    assert client.get(f"{detail(case)}notes/").json()["results"][0]["text"] == "Called the shelter."
    assert client.get(f"{detail(case)}documents/").json()["count"] == 1
    assert client.get(f"{detail(case)}employment/").json()["count"] == 1
    timeline = client.get(f"{detail(case)}timeline/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["kind"] for e in timeline["results"]] == [
        "note_added", "employment_added", "document_updated", "document_added",
    ]  # fmt: skip
    assert timeline["results"][-1]["text"] == "Document recorded: Passport, held by a recruiter."
    assert CaseNote.objects.count() == 1


def test_a_document_of_another_case_is_not_reachable_through_this_case(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    other = IdentityDocumentFactory(case=CaseFactory(organization=caseworker_a.organization))
    response = api.as_user(caseworker_a).patch(
        f"{detail(case)}documents/{other.pk}/", {"held_by": "self", "version": 1}
    )
    assert response.status_code == 404


def test_list_filters(api, caseworker_a):
    today = timezone.localdate()
    org = caseworker_a.organization
    overstaying = CaseFactory(
        organization=org,
        person=PersonFactory(citizenship="TJ", family_name="Safarov"),
        entry_date=today - timedelta(days=200),
        stay_basis="visa_free",
        risk_level="high",
        sector="agriculture",
        region="shymkent",
    )
    legal = CaseFactory(
        organization=org,
        person=PersonFactory(citizenship="KG", family_name="Asanov"),
        entry_date=today - timedelta(days=10),
        status="closed",
        assigned_to=None,
    )
    IdentityDocumentFactory(case=legal, number="AN 778899")
    client = api.as_user(caseworker_a)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.json()["results"]]

    assert ids(overstay="true") == [overstaying.pk]
    assert ids(overstay="false") == [legal.pk]
    assert ids(status="closed") == [legal.pk]
    assert ids(region="shymkent") == [overstaying.pk]
    assert ids(risk_level="high") == [overstaying.pk]
    assert ids(citizenship="tj") == [overstaying.pk]
    assert ids(sector="agriculture") == [overstaying.pk]
    assert ids(assigned_to=overstaying.assigned_to_id) == [overstaying.pk]
    assert ids(q="safarov") == [overstaying.pk]
    assert ids(q=legal.reference) == [legal.pk]
    assert ids(q="an778899") == [legal.pk]
    rows = client.get(URL, {"overstay": "true"}).json()["results"]
    assert rows[0]["overstay_days"] > 0


def test_the_list_shows_each_case_as_drf_would_write_its_fields(api, caseworker_a):
    from rest_framework import serializers

    from apps.cases import selectors
    from apps.cases.api import CaseSerializer

    org = caseworker_a.organization
    today = timezone.localdate()
    CaseFactory(
        organization=org,
        person=PersonFactory(middle_name="Bakhtiyorovich"),
        recruitment_debt_amount=Decimal("150000.5"),
        recruitment_debt_currency="KZT",
        recruitment_debt_creditor="recruiter",
    )
    bare = CaseFactory(
        organization=org,
        person=PersonFactory(date_of_birth=None, phone="+77011234567", address="Almaty"),
        assigned_to=None,
        entry_date=None,
        permit_valid_until=today + timedelta(days=30),
        stay_basis="temporary_residence_permit",
    )
    IdentityDocumentFactory(case=bare, held_by="employer")
    CaseFactory(
        organization=org,
        status="closed",
        outcome="Returned home.",
        closed_at=timezone.now(),
        victim_status="identified",
        identified_on=today,
        entry_date=today - timedelta(days=400),
    )
    rows = api.as_user(caseworker_a).get(URL).json()["results"]

    cases = {c.pk: c for c in selectors.case_list_page(selectors.case_list_for_user(caseworker_a))}
    walk = CaseSerializer(context={"today": today})
    for row in rows:
        expected = serializers.ModelSerializer.to_representation(walk, cases[row["id"]])
        assert list(row) == list(expected)
        assert row == dict(expected, person=dict(expected["person"]))
    assert len(rows) == 3


def test_a_name_search_reads_at_most_one_query_more_than_the_plain_list(
    api, caseworker_a, django_assert_max_num_queries
):
    CaseFactory(organization=caseworker_a.organization, person=PersonFactory(family_name="Nazarov"))
    client = api.as_user(caseworker_a)
    client.get(URL)
    with django_assert_max_num_queries(10) as plain:
        client.get(URL, {"status": "open"})
    with django_assert_max_num_queries(11) as named:
        assert client.get(URL, {"status": "open", "q": "nazarov"}).json()["count"] == 1
    assert len(named) <= len(plain) + 1


def test_search_finds_a_case_by_its_full_reference_or_its_start_in_any_case(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    other = CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)

    def ids(q):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200, response.data
        return {row["id"] for row in response.json()["results"]}

    assert ids(case.reference) == {case.pk}
    assert ids(case.reference.lower()) == {case.pk}
    prefix = case.reference.rsplit("-", 1)[0]  # "KZ-2026": typed from a printed paper
    assert ids(prefix) >= {case.pk, other.pk}
    # A piece from the middle is not a reference search (it could not use an index).
    assert ids(case.reference[3:]) == set()


def test_a_word_is_searched_by_its_shape_names_without_digits_numbers_with_them(api, caseworker_a):
    org = caseworker_a.organization
    karimov = CaseFactory(
        organization=org, person=PersonFactory(given_name="Aziz", family_name="Karimov")
    )
    IdentityDocumentFactory(case=karimov, number="FA 1234567")
    kz = CaseFactory(organization=org, person=PersonFactory(given_name="Kz", family_name="Li"))
    other = CaseFactory(
        organization=org, person=PersonFactory(given_name="Malika", family_name="Saidova")
    )
    client = api.as_user(caseworker_a)

    def ids(q):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200, response.data
        return {row["id"] for row in response.json()["results"]}

    # Without a digit: a whole name, in any case (given, family or patronymic).
    assert ids("KARIMOV") == ids("aziz") == {karimov.pk}
    assert ids("li") == {kz.pk}
    # ... and also the start of a reference while it can be one ("KZ-2026-...").
    assert ids("kz") == ids("Kz-") == {karimov.pk, kz.pk, other.pk}
    # With a digit: the start of a reference or a whole document number, never a name.
    assert ids("fa-1234567") == {karimov.pk}
    assert ids(karimov.reference[:9].lower()) >= {karimov.pk}
    assert ids("Karimov1") == set()
    # Every word must match.
    assert ids("Karimov FA1234567") == {karimov.pk}
    assert ids("Saidova FA1234567") == set()


def test_a_name_search_counts_and_pages_the_same_cases(api, caseworker_a, settings):
    # The count and the page write the name's people differently on PostgreSQL (an array
    # read by index, a hash probed in order); both must find the same cases.
    org = caseworker_a.organization
    named = [
        CaseFactory(organization=org, person=PersonFactory(family_name="Umarov")) for _ in "abc"
    ]
    CaseFactory(organization=org, person=PersonFactory(family_name="Umarbekov"))
    client = api.as_user(caseworker_a)
    newest_first = [c.pk for c in sorted(named, key=lambda c: (c.created_at, c.pk), reverse=True)]

    exact = client.get(URL, {"q": "umarov"}).json()
    assert exact["count"] == 3 and exact["count_is_lower_bound"] is False
    assert [row["id"] for row in exact["results"]] == newest_first
    settings.CASEMGR_LIST_COUNT_LIMIT = 2
    first = client.get(URL, {"q": "umarov", "page_size": 2}).json()
    assert first["count"] == 2 and first["count_is_lower_bound"] is True
    second = client.get(URL, {"q": "umarov", "page_size": 2, "page": 2}).json()
    assert [row["id"] for row in first["results"] + second["results"]] == newest_first


@pytest.mark.postgres
def test_a_name_count_probes_a_hash_within_an_organisation_and_reads_the_index_nationally(
    caseworker_a, administrator
):
    """The count's form follows the scope (docs/benchmarks.md): within one organisation the
    count and the page read the organisation's range of the name search's table
    (cases_casenamekey); nationally each person's cases are read through the person_id index
    until the limit, and the page probes the hash of the name's people."""
    from django.db import connection

    from apps.cases import selectors

    def count_sql(user) -> str:
        found = selectors.case_filter(selectors.case_list_for_user(user), {"q": "Umarov"})
        query = found.order_by().values("pk")[:10001].query
        return query.get_compiler(connection=connection).as_sql()[0]

    def page_sql(user) -> str:
        found = selectors.case_filter(selectors.case_list_for_user(user), {"q": "Umarov"})
        return (
            found.order_by("-created_at")[:50].query.get_compiler(connection=connection).as_sql()[0]
        )

    # The table's ids as an array read by primary key (a plain IN was hashed, and every case
    # of the organisation read to probe it).
    table = (
        '"cases_case"."id" = ANY(ARRAY(SELECT U0."case_id" AS "case_id" FROM '
        '"cases_casenamekey" U0 WHERE (U0."key" = %s AND U0."organization_id" = %s)))'
    )
    for sql in (count_sql(caseworker_a), page_sql(caseworker_a)):
        assert table in sql and ") IS TRUE" not in sql
        assert "cases_personmatchkey" not in sql
    assert "ANY(ARRAY" in count_sql(administrator) and ") IS TRUE" not in count_sql(administrator)
    assert ") IS TRUE" in page_sql(administrator) and "cases_casenamekey" not in page_sql(
        administrator
    )


def test_a_national_list_counts_up_to_the_limit_and_still_pages_beyond_it(
    api, caseworker_a, settings
):
    settings.CASEMGR_LIST_COUNT_LIMIT = 2
    cases = [CaseFactory(organization=caseworker_a.organization) for _ in range(5)]
    newest_first = [c.pk for c in sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)]
    client = api.as_user(caseworker_a)

    def page(number):
        return client.get(URL, {"page_size": 2, "page": number})

    first = page(1).json()
    assert first["count"] == 2 and first["count_is_lower_bound"] is True
    assert first["previous"] is None and "page=2" in first["next"]
    third = page(3).json()
    assert [row["id"] for row in third["results"]] == newest_first[4:]
    assert third["next"] is None and "page=2" in third["previous"]
    walked = [row["id"] for n in (1, 2, 3) for row in page(n).json()["results"]]
    assert walked == newest_first
    assert page(4).status_code == 404
    assert page(0).status_code == 404 and page("x").status_code == 404
    assert page("9" * 25).status_code == 404  # beyond any database offset: not a server error
    # Under the limit the count is exact.
    settings.CASEMGR_LIST_COUNT_LIMIT = 5
    exact = page(1).json()
    assert exact["count"] == 5 and exact["count_is_lower_bound"] is False
    settings.CASEMGR_LIST_COUNT_LIMIT = 0
    assert page(1).json() | {"results": None} == exact | {"results": None}


def test_a_bounded_count_costs_no_extra_query(
    api, caseworker_a, settings, django_assert_max_num_queries
):
    for _ in range(3):
        CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    settings.CASEMGR_LIST_COUNT_LIMIT = 0
    with django_assert_max_num_queries(10) as exact:
        assert client.get(URL, {"page_size": 2}).json()["count"] == 3
    settings.CASEMGR_LIST_COUNT_LIMIT = 1
    with django_assert_max_num_queries(10) as bounded:
        assert client.get(URL, {"page_size": 2}).json()["count_is_lower_bound"] is True
    assert len(bounded) == len(exact)


def test_the_list_counts_cases_alone_and_reads_its_page_with_the_person_joined(
    api, caseworker_a, settings
):
    """The page is read as rows of values with the person joined; the count must not carry
    that join (at 1M it made a caseworker's count 29 ms instead of 1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        CaseFactory(organization=caseworker_a.organization)
    client = api.as_user(caseworker_a)
    for limit in (0, 1):  # an exact count, and one that is a lower bound
        settings.CASEMGR_LIST_COUNT_LIMIT = limit
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(URL, {"page_size": 2}).json()
        assert len(body["results"]) == 2 and body["results"][0]["person"]["family_name"]
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
        assert len(counts) == 1 and "cases_person" not in counts[0], counts
        pages = [
            q["sql"] for q in ctx.captured_queries if '"cases_person"."given_name"' in q["sql"]
        ]
        assert len(pages) == 1 and "JOIN" in pages[0]
        # The page's ids first, in a subquery of their own (selectors.case_list_page).
        assert '"cases_case"."id" IN (SELECT' in pages[0] and "LIMIT" in pages[0]


def test_a_bad_filter_value_is_a_400(api, caseworker_a):
    response = api.as_user(caseworker_a).get(URL, {"status": "sleeping"})
    assert response.status_code == 400 and "status" in response.json()


def test_the_list_query_count_does_not_grow_with_page_size(
    api, caseworker_a, django_assert_max_num_queries
):
    for _ in range(3):
        case = CaseFactory(organization=caseworker_a.organization)
        IdentityDocumentFactory(case=case, held_by="employer")
        EmploymentFactory(case=case)
    client = api.as_user(caseworker_a)
    # The page, the count, and the audit entry (whose cost belongs to the audit log): a fixed
    # number of queries whatever the page size.
    with django_assert_max_num_queries(10) as small_queries:
        small = client.get(URL, {"page_size": 1})
    for _ in range(20):
        CaseFactory(organization=caseworker_a.organization)
    with django_assert_max_num_queries(10) as large_queries:
        large = client.get(URL, {"page_size": 200})
    assert len(large_queries) == len(small_queries)
    assert len(small.json()["results"]) == 1 and len(large.json()["results"]) == 23
    assert any(row["has_withheld_documents"] for row in large.json()["results"])


def test_a_patch_records_earlier_stays_and_the_detail_names_the_stay_rule(api, caseworker_a):
    case = CaseFactory(
        organization=caseworker_a.organization,
        region="astana",
        person__citizenship="KG",
        entry_date=date(2025, 3, 15),
    )
    response = api.as_user(caseworker_a).patch(
        detail(case),
        {"version": 1, "stays": [{"entered": "2025-01-01", "left": "2025-03-01"}]},
        format="json",
    )
    assert response.status_code == 200, response.data
    body = response.json()
    assert body["stays"] == [{"entered": "2025-01-01", "left": "2025-03-01"}]
    assert body["legal_stay_until"] == "2025-04-13"
    assert body["stay_rule"]["reason"] == "rolling"
    assert body["stay_rule"]["days_counted"] == 60
    assert "Decree No. 148" in body["stay_rule"]["source"]


def test_a_patch_with_overlapping_stays_is_a_400_and_changes_nothing(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, entry_date=date(2025, 3, 15))
    response = api.as_user(caseworker_a).patch(
        detail(case),
        {
            "version": 1,
            "stays": [
                {"entered": "2025-01-01", "left": "2025-02-01"},
                {"entered": "2025-01-15", "left": "2025-02-10"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "stays" in str(response.json())
    assert Case.objects.get(pk=case.pk).version == 1


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_any_assignee_the_user_may_not_choose_gets_one_and_the_same_answer(
    api, client, caseworker_a, caseworker_b, administrator, language
):
    """Another organisation's user, a missing id, an administrator and a word all answer
    alike, opening or changing a case, in the API and on the page: nobody learns which users
    exist or where they work."""
    from tests.accounts.factories import UserFactory

    inactive = UserFactory(
        role="caseworker", organization=caseworker_a.organization, is_active=False
    )
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    worker = api.as_user(caseworker_a)
    refused = [caseworker_b.pk, 999_999, administrator.pk, inactive.pk, "someone"]
    with translation.override(language):
        expected = {"assigned_to": [translation.gettext(
            "Assign the case to a caseworker or inspector of its organisation."
        )]}  # fmt: skip
    answers = []
    for assignee in refused:
        opened = worker.post(
            URL, payload(assigned_to=assignee), format="json", HTTP_ACCEPT_LANGUAGE=language
        )
        changed = worker.patch(
            f"{URL}{case.pk}/",
            {"version": 1, "assigned_to": assignee},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        answers += [(opened.status_code, opened.json()), (changed.status_code, changed.json())]
    assert answers == [(400, expected)] * len(answers)
    assert Case.objects.count() == 1 and Case.objects.get().assigned_to == caseworker_a
    # The page's form says the same.
    client.force_login(caseworker_a)
    form = client.get(f"/cases/{case.pk}/edit/").context["forms"][1]
    data = {f"case-{k}": v for k, v in form.initial.items() if v is not None}
    data.update({"person-family_name": case.person.family_name, "person-sex": "male",
                 "person-citizenship": "UZ"})  # fmt: skip
    for assignee in refused[:2]:
        page = client.post(
            f"/cases/{case.pk}/edit/",
            {**data, "case-assigned_to": assignee},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert page.context["forms"][1].errors["assigned_to"] == expected["assigned_to"]
    # A colleague of the organisation is accepted.
    colleague = UserFactory(role="inspector", organization=caseworker_a.organization)
    accepted = worker.patch(
        f"{URL}{case.pk}/", {"version": 1, "assigned_to": colleague.pk}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["assigned_to"] == colleague.pk
