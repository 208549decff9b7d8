"""Catalogue version 2 through the API and the pages: new screenings use it, with the list the
person's age and the case's sector choose; screenings stored with version 1 keep it."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases.models import Case, CaseEvent
from apps.screening.catalogue import VERSION_1, VERSION_2, get_catalogue
from apps.screening.engine import evaluate, render_reasons
from apps.screening.models import Screening
from apps.screening.services import screening_create
from tests.cases.factories import CaseFactory, IdentityDocumentFactory
from tests.screening.patterns import POSSIBLE, payload
from tests.screening.test_screening_pages import checked, interview_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/screenings/"
V1 = get_catalogue(VERSION_1)
V2 = get_catalogue(VERSION_2)
HARDSHIP = (
    "vr_economic",
    "vr_family_situation",
    "vr_authorities_status",
    "ex_low_no_salary",
    "ex_social_protection",
    "ex_labour_law",
    "vd_economic",
    "vd_family_situation",
    "vd_authorities_status",
)
A_AND_B = (
    "dr_job_nature",
    "dr_wages",
    "ex_living_conditions",
    "ex_labour_law",
    "ex_social_protection",
)


def born_years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=30)


def case_of(inspector, inspectorate, **kwargs):
    return CaseFactory(
        organization=inspectorate, created_by=inspector, assigned_to=inspector, **kwargs
    )


def answers_for(indicator_list, *yes_codes):
    answers = dict.fromkeys(V2.codes_for(indicator_list), "no")
    answers.update(dict.fromkeys(yes_codes, "yes"))
    return answers


# --- the over-flagging case, children, sectors ---------------------------------------------


def test_an_ordinary_migrant_in_hardship_is_not_flagged(api, inspector_case, inspector):
    response = api.as_user(inspector).post(
        URL, payload(inspector_case, answers_for("adult_labour", *HARDSHIP))
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["catalogue_version"] == VERSION_2 and body["indicator_list"] == "adult_labour"
    assert body["result"]["trafficking"] == "no_indicators"
    assert body["result"]["elements"] == {
        "recruitment": False,
        "exploitation": True,
        "coercion": False,
    }
    reasons = body["result"]["reasons"]
    assert reasons[0].startswith("Result: no indicators of trafficking or forced labour")
    assert sum("abuse of vulnerability alone does not establish" in r for r in reasons) == 2
    inspector_case.refresh_from_db()
    assert (inspector_case.risk_level, inspector_case.victim_status) == ("low", "not_assessed")


def test_a_child_recruited_and_exploited_is_a_presumed_victim_without_means(
    api, inspector, inspectorate
):
    case = case_of(inspector, inspectorate, person__date_of_birth=born_years_ago(15))
    response = api.as_user(inspector).post(
        URL, payload(case, answers_for("child_labour", *A_AND_B))
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["indicator_list"] == "child_labour"
    assert body["result"]["trafficking"] == "presumed_victim"
    assert body["result"]["elements"]["coercion"] is False
    assert any("Palermo Protocol art. 3(c)" in r for r in body["result"]["reasons"])
    screening = Screening.objects.get(pk=body["id"])
    assert screening.person_age == 15
    case.refresh_from_db()
    assert (case.risk_level, case.victim_status) == ("high", "presumed")
    event = CaseEvent.objects.get(case=case, kind="screening_completed")
    assert event.data["indicator_list"] == "child_labour"


def test_the_same_answers_for_an_adult_are_possible_only(api, inspector_case, inspector):
    body = (
        api.as_user(inspector)
        .post(URL, payload(inspector_case, answers_for("adult_labour", *A_AND_B)))
        .json()
    )
    assert body["result"]["trafficking"] == "possible_victim"


@pytest.mark.parametrize(
    ("years", "sector", "expected"),
    [
        (30, "sex_industry", "adult_sexual"),
        (16, "sex_industry", "child_sexual"),
        (30, "begging", "adult_begging"),
        (9, "begging", "child_begging"),
        (30, "agriculture", "adult_labour"),
    ],
)
def test_the_list_follows_the_persons_age_and_the_cases_sector(
    api, inspector, inspectorate, years, sector, expected
):
    case = case_of(
        inspector, inspectorate, sector=sector, person__date_of_birth=born_years_ago(years)
    )
    body = api.as_user(inspector).post(URL, payload(case, {})).json()
    assert body["indicator_list"] == expected
    assert body["result"]["trafficking"] == "incomplete"


def test_a_person_without_a_date_of_birth_is_asked_the_adult_questions(
    api, inspector, inspectorate
):
    case = case_of(inspector, inspectorate, sector="sex_industry", person__date_of_birth=None)
    body = api.as_user(inspector).post(URL, payload(case, POSSIBLE)).json()
    assert body["indicator_list"] == "adult_sexual"


def test_an_answer_to_a_question_of_another_list_is_a_400_and_saves_nothing(
    api, inspector_case, inspector
):
    before = (Screening.objects.count(), AuditEntry.objects.count())
    response = api.as_user(inspector).post(
        URL, payload(inspector_case, {**POSSIBLE, "ex_sexual_earnings": "yes"})
    )
    assert response.status_code == 400
    assert response.json()["answers"] == [
        "“ex_sexual_earnings” is not asked in the questions for Adults: labour exploitation."
    ]
    assert (Screening.objects.count(), AuditEntry.objects.count()) == before


def test_the_sexual_exploitation_questions_are_accepted_in_that_list(api, inspector, inspectorate):
    case = case_of(inspector, inspectorate, sector="sex_industry")
    response = api.as_user(inspector).post(
        URL,
        payload(
            case, {"ex_sexual_earnings": "yes", "cd_forced_substances": "yes", "cd_violence": "yes"}
        ),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["result"]["trafficking"] == "possible_victim"


# --- the API contract stays ----------------------------------------------------------------


def test_a_screening_posted_without_status_completes_and_empty_answers_are_incomplete(
    api, inspector_case, inspector
):
    response = api.as_user(inspector).post(URL, payload(inspector_case, {}))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "complete" and body["completed_at"]
    assert body["result"]["trafficking"] == "incomplete"
    assert "cd_not_free_to_leave" in body["result"]["missing_core"]


def test_not_asking_whether_the_person_is_free_to_leave_leaves_it_incomplete(
    api, inspector_case, inspector
):
    answers = {code: "no" for code in V2.core_codes if code != "cd_not_free_to_leave"}
    body = api.as_user(inspector).post(URL, payload(inspector_case, answers)).json()
    assert body["result"]["trafficking"] == "incomplete"
    assert body["result"]["missing_core"] == ["cd_not_free_to_leave"]
    answered = (
        api.as_user(inspector)
        .post(URL, payload(inspector_case, {**answers, "cd_not_free_to_leave": "yes"}))
        .json()
    )
    assert answered["result"]["trafficking"] == "possible_victim"


def test_a_debt_that_grows_is_a_debt_even_when_the_debt_question_was_skipped(
    api, inspector_case, inspector
):
    answers = {code: "no" for code in V2.core_codes if code != "debt_owed"}
    body = (
        api.as_user(inspector)
        .post(
            URL, payload(inspector_case, {**answers, "debt_inflated": "yes", "debt_threats": "yes"})
        )
        .json()
    )
    assert body["result"]["debt_coercion"] is True
    assert body["result"]["trafficking"] == "possible_victim"
    assert body["result"]["missing_core"] == []
    assert body["answers"].get("debt_owed") is None  # stored as given
    assert any(r.startswith("A debt is counted as owed") for r in body["result"]["reasons"])


def test_the_indicators_api_filters_by_list_with_the_lists_strengths(api, caseworker_a):
    client = api.as_user(caseworker_a)
    child = client.get("/api/v1/indicators/", {"list": "child_sexual", "page_size": 200}).json()
    rows = {row["code"]: row for row in child["results"]}
    assert child["count"] == len(V2.codes_for("child_sexual"))
    assert "ex_child_commercial_sex" in rows and "ex_begging_quota" not in rows
    assert rows["ex_hazardous"]["strength"] == "strong"
    assert rows["ex_child_commercial_sex"]["lists"] == ["child_sexual"]
    adult = client.get("/api/v1/indicators/", {"list": "adult_labour", "page_size": 200}).json()
    assert {r["code"]: r for r in adult["results"]}["ex_hazardous"]["strength"] == "medium"
    bad = client.get("/api/v1/indicators/", {"list": "martians"})
    assert bad.status_code == 400 and "list" in bad.json()
    old = client.get("/api/v1/indicators/", {"version": VERSION_1, "page_size": 200}).json()
    assert old["count"] == len(V1.codes) and all(r["lists"] == [] for r in old["results"])


# --- the interview page --------------------------------------------------------------------


def test_the_interview_asks_the_free_to_leave_and_retention_questions(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    page = client.get(reverse("screening:start", args=[inspector_case.pk])).content.decode()
    for code in ("cd_not_free_to_leave", "cd_documents", "cd_violence"):
        assert f'name="{code}"' in page
    assert "If you wanted to stop this work and leave" in page
    assert "so that you cannot get them back when you want?" in page
    assert "Questions for: Adults: labour exploitation" in page
    assert 'name="ex_sexual_earnings"' not in page and 'name="cr_payment_to_guardian"' not in page


def test_a_document_held_by_the_employer_prefills_the_retention_question(
    client, inspector_case, inspector
):
    IdentityDocumentFactory(case=inspector_case, held_by="employer")
    client.force_login(inspector)
    page = client.get(reverse("screening:start", args=[inspector_case.pk])).content.decode()
    assert "The case records that a document of the person is held by: Employer." in page
    assert checked(page, "cd_documents") == "yes"
    # Who holds it now says nothing of the recruitment, so that question is left to ask.
    assert checked(page, "cr_documents") == "unknown"


def test_a_childs_interview_shows_the_child_list_and_how_to_interview_a_child(
    client, inspector, inspectorate
):
    case = case_of(
        inspector, inspectorate, sector="begging", person__date_of_birth=born_years_ago(11)
    )
    client.force_login(inspector)
    page = client.get(reverse("screening:start", args=[case.pk])).content.decode()
    assert "Questions for: Children: forced begging" in page
    assert "Chosen from the person's age (11) and the case's sector (Forced begging)." in page
    assert "Interview a child only with a guardian" in page
    for code in ("ex_begging_quota", "cr_payment_to_guardian", "cd_separated_from_family"):
        assert f'name="{code}"' in page
    assert 'name="ex_child_commercial_sex"' not in page


def test_an_unrecorded_date_of_birth_is_explained_on_the_interview(client, inspector, inspectorate):
    case = case_of(inspector, inspectorate, person__date_of_birth=None)
    client.force_login(inspector)
    page = client.get(reverse("screening:start", args=[case.pk])).content.decode()
    assert "The person's date of birth is not recorded" in page
    assert "CoE Convention art. 10(3)" in page


def test_the_interview_completes_a_childs_screening_with_the_child_list(
    client, inspector, inspectorate
):
    case = case_of(
        inspector, inspectorate, sector="sex_industry", person__date_of_birth=born_years_ago(16)
    )
    client.force_login(inspector)
    url = reverse("screening:start", args=[case.pk])
    review = client.post(url, interview_data({"ex_child_commercial_sex": "yes"}, action="review"))
    assert review.status_code == 200
    assert "Questions for: Children: sexual exploitation" in review.content.decode()
    response = client.post(
        url, interview_data({"ex_child_commercial_sex": "yes"}, action="complete")
    )
    assert response.status_code == 302
    screening = Screening.objects.get(case=case)
    assert screening.indicator_list == "child_sexual"
    assert screening.trafficking == "possible_victim"
    page = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert "Children: sexual exploitation" in page


def test_a_draft_whose_list_changed_is_not_completed_until_reviewed(api, inspector, inspectorate):
    case = case_of(inspector, inspectorate, sector="sex_industry")
    client = api.as_user(inspector)
    draft = client.post(URL, payload(case, {"ex_sexual_earnings": "yes"}, status="draft")).json()
    assert draft["indicator_list"] == "adult_sexual"
    Case.objects.filter(pk=case.pk).update(sector="construction")
    response = client.post(f"{URL}{draft['id']}/complete/", {"version": draft["version"]})
    assert response.status_code == 400
    assert response.json()["answers"][0].startswith("The questions for this person changed")
    assert Screening.objects.get(pk=draft["id"]).status == "draft"


# --- version 1 screenings keep their catalogue ---------------------------------------------


@pytest.fixture
def version_1_screening(inspector_case, inspector):
    """A screening completed before version 2 was released, through the service of the time."""
    with mock.patch("apps.screening.services.get_catalogue", return_value=V1):
        answers = dict(dict.fromkeys(V1.codes, "no"), **dict.fromkeys(HARDSHIP, "yes"))
        answers["cd_documents"] = "yes"
        return screening_create(
            actor=inspector,
            case=inspector_case,
            answers=answers,
            interview_language="ru",
            consent_given=True,
        )


def test_a_version_1_screening_keeps_its_version_and_result(version_1_screening):
    screening = Screening.objects.get(pk=version_1_screening.pk)
    assert screening.catalogue_version == VERSION_1 and screening.indicator_list == ""
    expected = evaluate(screening.answers, catalogue=V1)
    assert screening.result == expected.to_dict()
    assert screening.trafficking == "presumed_victim"  # what version 1 computed then
    assert (
        evaluate({k: v for k, v in screening.answers.items()}, catalogue=V2).trafficking
        == "possible_victim"
    )  # the retained documents flag it under version 2


def test_a_version_1_screening_still_renders_on_its_page_the_case_and_the_api(
    client, api, version_1_screening, inspector
):
    client.force_login(inspector)
    page = client.get(reverse("screening:detail", args=[version_1_screening.pk])).content.decode()
    assert "ILO/EC Delphi indicators (2009), labour and debt, version 1" in page
    # Named as version 1 named them, in its reasons and its yes answers.
    assert "Economic reasons (poverty, unemployment)" in page
    assert "Confiscation of documents" in page
    assert "Retention of identity or travel documents" not in page
    assert "Questions asked" not in page
    case_page = client.get(reverse("cases:detail", args=[version_1_screening.case_id]))
    assert case_page.status_code == 200
    assert "labour and debt, version 1" in case_page.content.decode()
    body = api.as_user(inspector).get(f"{URL}{version_1_screening.pk}/").json()
    assert body["catalogue_version"] == VERSION_1 and body["indicator_list"] == ""
    expected = evaluate(version_1_screening.answers, catalogue=V1)
    assert body["result"]["reasons"] == render_reasons(expected, "en", catalogue=V1)
    assert body["result"]["trafficking"] == "presumed_victim"


def test_a_version_1_draft_is_completed_with_version_2(api, inspector_case, inspector):
    with mock.patch("apps.screening.services.get_catalogue", return_value=V1):
        draft = screening_create(
            actor=inspector,
            case=inspector_case,
            answers={"cd_documents": "yes"},
            interview_language="ru",
            complete=False,
        )
    assert draft.catalogue_version == VERSION_1
    response = api.as_user(inspector).post(f"{URL}{draft.pk}/complete/", {"version": draft.version})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["catalogue_version"], body["indicator_list"]) == (VERSION_2, "adult_labour")
    assert body["answers"] == {"cd_documents": "yes"}
    assert body["result"]["trafficking"] == "possible_victim"


# --- the catalogue page --------------------------------------------------------------------


def test_the_catalogue_page_shows_the_lists_and_offers_version_1(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("screening:catalogue")).content.decode()
    assert "Lists of indicators" in page
    for lst in V2.lists:
        assert lst.name_in("en") in page
    assert "Sex industry, Forced begging" in page
    assert V2.question("cd_not_free_to_leave", "kk") in page
    assert "strong in: Children: labour exploitation" in page
    assert f'href="?version={VERSION_1.replace("+", "%2B")}"' in page
    russian = client.get(reverse("screening:catalogue"), headers={"accept-language": "ru"})
    assert "<td>сильный</td>" in russian.content.decode()
    assert "сильный в списке «Дети: трудовая эксплуатация»" in russian.content.decode()
    old = client.get(reverse("screening:catalogue"), {"version": VERSION_1}).content.decode()
    assert "Lists of indicators" not in old
    assert V1.question("cd_documents", "en") in old
    assert re.search(
        r"<strong>ILO/EC Delphi indicators \(2009\), labour and debt, version 1</strong>", old
    )
