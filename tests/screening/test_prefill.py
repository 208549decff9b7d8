"""What the case records of a recruitment debt starts the interview's debt questions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from apps.screening.prefill import debt_initial, prefill_for_case
from tests.cases.factories import CaseFactory
from tests.screening.test_screening_pages import checked

pytestmark = pytest.mark.django_db


def _indebted(**kwargs):
    return CaseFactory(
        recruitment_debt_amount=Decimal("150000"),
        recruitment_debt_currency="KZT",
        recruitment_debt_creditor="recruiter",
        **kwargs,
    )


def test_debt_initial_gives_the_interviews_debt_fields():
    assert debt_initial(_indebted()) == {
        "debt_amount": Decimal("150000"),
        "debt_currency": "KZT",
        "debt_creditor": "recruiter",
    }


def test_debt_initial_is_empty_without_a_debt():
    assert debt_initial(CaseFactory()) == {}


def test_a_recorded_debt_prompts_the_debt_owed_question():
    case = _indebted()
    with translation.override("en"):
        prompt = prefill_for_case(case)["debt_owed"]
    assert prompt == (
        "The case records a recruitment debt of 150,000.00 KZT owed to: Recruiter. "
        "Confirm with the person."
    )
    with translation.override("ru"):
        prompt = prefill_for_case(case)["debt_owed"]
    assert "150\xa0000,00 KZT" in prompt and "Вербовщик" in prompt


def test_a_debt_without_a_creditor_still_prompts():
    case = _indebted()
    case.recruitment_debt_creditor = ""
    with translation.override("en"):
        assert "owed to: —." in prefill_for_case(case)["debt_owed"]


def test_no_debt_no_prompt():
    assert "debt_owed" not in prefill_for_case(CaseFactory())


def test_the_interview_shows_the_debt_prompt(client, inspectorate, inspector):
    case = _indebted(organization=inspectorate, created_by=inspector, assigned_to=inspector)
    client.force_login(inspector)
    page = client.get(reverse("screening:start", args=[case.pk])).content.decode()
    assert "The case records a recruitment debt of 150,000.00 KZT owed to: Recruiter." in page
    assert checked(page, "debt_owed") == "yes"
