"""Out-of-range amounts are a clear 400 wherever a decimal is typed (issue 18 item 7): the
API's and the pages' debts, wages and hours, never a 500, and nothing is saved."""

import json

import pytest
from django.forms import BaseForm
from django.urls import reverse

from apps.cases.models import Case, Employment
from apps.screening.models import Screening
from apps.training.models import TrainingSession
from tests.cases.factories import CaseFactory, EmploymentFactory
from tests.cases.test_views import person_post
from tests.screening.patterns import POSSIBLE
from tests.screening.test_screening_pages import interview_data

pytestmark = pytest.mark.django_db

# As JSON: strings and number literals (1e400 reads as infinity, 10^30 and 40 nines are exact
# integers), and as typed into a form.
HUGE = ['"1e400"', "1e400", '"10^30"', "1" + "0" * 30, '"' + "9" * 40 + '"', "9" * 40, '"-1e400"']
TYPED = ["1e400", "10^30", "1" + "0" * 30, "9" * 40, "-1e400", "NaN", "Infinity"]
PERSON = {"family_name": "Saidov", "given_name": "Farrukh", "sex": "male", "citizenship": "TJ"}
NEW_CASE = {"person": PERSON, "region": "astana", "identified_via": "hotline"}


def _json(client, method: str, url: str, body: str):
    client.raise_request_exception = False
    return getattr(client, method)(url, data=body, content_type="application/json")


def _template(body: dict) -> str:
    """The body as JSON text, its "__v__" left for the amount to be written in as it is."""
    return json.dumps(body).replace('"__v__"', "{v}")


def _field_error(response, name: str) -> bool:
    """Whether a form of the page answered has an error on the field `name`."""
    forms = []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for value in (v for context in contexts for v in context.flatten().values()):
        values = value if isinstance(value, list | tuple) else [value]
        forms += [v for v in values if isinstance(v, BaseForm)]
    return any(name in form.errors for form in forms)


def _api_cases(case, job, screened_case):
    """(field, method, url, body template with {v} for the amount) for every decimal input."""
    return [
        ("recruitment_debt_amount", "post", "/api/v1/cases/", _template(
            {**NEW_CASE, "recruitment_debt_amount": "__v__", "recruitment_debt_currency": "KZT"}
        )),
        ("employment", "post", "/api/v1/cases/", _template(
            {**NEW_CASE, "employment": {"employer": "A", "promised_wage_amount": "__v__",
                                        "promised_wage_currency": "KZT"}}
        )),
        ("recruitment_debt_amount", "patch", f"/api/v1/cases/{case.pk}/", _template(
            {"version": 1, "recruitment_debt_amount": "__v__", "recruitment_debt_currency": "KZT"}
        )),
        ("actual_wage_amount", "post", f"/api/v1/cases/{case.pk}/employment/", _template(
            {"employer": "A", "actual_wage_amount": "__v__", "actual_wage_currency": "KZT"}
        )),
        ("promised_wage_amount", "patch", f"/api/v1/cases/{case.pk}/employment/{job.pk}/",
         _template({"version": 1, "promised_wage_amount": "__v__",
                    "promised_wage_currency": "KZT"})),
        ("debt", "post", "/api/v1/screenings/", _template(
            {"case": screened_case.pk, "answers": POSSIBLE, "interview_language": "ru",
             "consent_given": True, "debt": {"amount": "__v__", "currency": "KZT"}}
        )),
    ]  # fmt: skip


def test_every_api_decimal_refuses_huge_amounts_with_a_400_and_saves_nothing(
    api, caseworker_a, inspector, administrator
):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    job = EmploymentFactory(case=case)
    screened = CaseFactory(organization=inspector.organization, created_by=inspector)
    worker, interviewer = type(api)().as_user(caseworker_a), type(api)().as_user(inspector)
    for field, method, url, template in _api_cases(case, job, screened):
        client = interviewer if "screenings" in url else worker
        for value in HUGE:
            response = _json(client, method, url, template.replace("{v}", value))
            assert response.status_code == 400, (url, value, response.status_code)
            assert field in response.json(), (url, value, response.json())
    trainer = api.as_user(administrator)
    session = _template(
        {"title": "T", "topic": "forced_labour_indicators", "date": "2025-09-12",
         "trainer_organization": "ILO", "language": "kk", "location": "S", "hours": "__v__"}
    )  # fmt: skip
    for value in HUGE:
        response = _json(
            trainer, "post", "/api/v1/training-sessions/", session.replace("{v}", value)
        )
        assert response.status_code == 400 and "hours" in response.json(), value
    assert Case.objects.count() == 2 and Employment.objects.get() == job
    case.refresh_from_db()
    job.refresh_from_db()
    assert (case.version, case.recruitment_debt_amount, job.version) == (1, None, 1)
    assert not Screening.objects.exists() and not TrainingSession.objects.exists()


def test_every_form_decimal_refuses_huge_amounts_with_an_error_and_saves_nothing(
    client, caseworker_a, inspector, administrator
):
    client.raise_request_exception = False
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    job = EmploymentFactory(case=case)
    screened = CaseFactory(organization=inspector.organization, created_by=inspector)
    wage = {"employer": "A", "sector": "trade", "wage_period": "month",
            "promised_wage_currency": "KZT"}  # fmt: skip
    edit = {**{k: v for k, v in person_post().items() if k.startswith(("person-", "case-"))},
            "case-version": 1, "case-recruitment_debt_currency": "KZT"}  # fmt: skip
    for value in TYPED:
        client.force_login(caseworker_a)
        pages = [
            (reverse("cases:create"), "recruitment_debt_amount",
             {**person_post(), "case-recruitment_debt_amount": value,
              "case-recruitment_debt_currency": "KZT"}),
            (reverse("cases:edit", args=[case.pk]), "recruitment_debt_amount",
             {**edit, "case-recruitment_debt_amount": value}),
            (reverse("cases:employment_add", args=[case.pk]), "promised_wage_amount",
             {**wage, "promised_wage_amount": value}),
            (reverse("cases:employment_edit", args=[case.pk, job.pk]), "actual_wage_amount",
             {**wage, "actual_wage_amount": value, "version": 1}),
        ]  # fmt: skip
        for url, field, data in pages:
            response = client.post(url, data)
            assert response.status_code == 400, (url, value, response.status_code)
            assert _field_error(response, field), (url, value)
        client.force_login(inspector)
        response = client.post(
            reverse("screening:start", args=[screened.pk]),
            interview_data(POSSIBLE, action="complete", debt_amount=value, debt_currency="KZT"),
        )
        assert response.status_code == 400, (value, response.status_code)
        assert _field_error(response, "debt_amount")
        client.force_login(administrator)
        response = client.post(
            reverse("training:session_create"),
            {"title": "T", "topic": "forced_labour_indicators", "date": "2025-09-12",
             "hours": value, "trainer_organization": "ILO", "language": "kk"},
        )  # fmt: skip
        assert response.status_code in (200, 400) and _field_error(response, "hours")
    assert Case.objects.count() == 2 and Employment.objects.get() == job
    case.refresh_from_db()
    assert case.version == 1 and case.recruitment_debt_amount is None
    assert not Screening.objects.exists() and not TrainingSession.objects.exists()
