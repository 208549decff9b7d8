"""The interview, result, list and catalogue pages, and the case-page panel."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.cases.panels import panels_for
from apps.screening import prefill
from apps.screening.catalogue import get_catalogue
from apps.screening.forms import CONSENT_FIRST
from apps.screening.models import Screening
from apps.screening.services import screening_create
from tests.screening.patterns import POSSIBLE

pytestmark = pytest.mark.django_db


def checked(page: str, code: str) -> str:
    """The value of the radio button checked for one question."""
    match = re.search(rf'name="{code}" value="(\w+)" id="[^"]+" checked', page)
    return match.group(1) if match else ""


def interview_data(answers, *, action, **extra):
    data = {code: "unknown" for code in get_catalogue().codes}
    data.update(answers)
    return {"interview_language": "kk", "consent_given": "on", "action": action, **data, **extra}


def test_the_interview_shows_the_interview_language_beside_the_users(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    response = client.get(url, {"interview_language": "kk"})
    page = response.content.decode()
    catalogue = get_catalogue()
    assert catalogue.question("cd_debt_bondage", "kk") in page
    assert catalogue.question("cd_debt_bondage", "en") in page
    assert catalogue.dimension_name("coercion_destination", "kk") in page
    assert 'name="cd_debt_bondage" value="yes"' in page


def test_an_interview_in_turkmen_shows_russian_questions_for_the_interpreter(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    page = client.get(
        reverse("screening:start", args=[inspector_case.pk]), {"interview_language": "tk"}
    ).content.decode()
    assert get_catalogue().question("cd_documents", "ru") in page
    assert "shown in Russian for the interpreter" in page


def test_a_draft_is_saved_and_completed_from_the_page(client, inspector_case, inspector):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    response = client.post(url, interview_data({"cd_documents": "yes"}, action="draft"))
    screening = Screening.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "screening:edit", args=[screening.pk]
    )
    assert screening.status == "draft" and screening.answers == {"cd_documents": "yes"}
    edit = reverse("screening:edit", args=[screening.pk])
    assert checked(client.get(edit).content.decode(), "cd_documents") == "yes"
    response = client.post(
        edit,
        interview_data(
            POSSIBLE, action="complete", version=screening.version,
            debt_amount="150000", debt_currency="KZT", debt_creditor="employer",
        ),
    )  # fmt: skip
    screening.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert screening.status == "complete" and screening.trafficking == "possible_victim"
    assert screening.debt_currency == "KZT"
    result = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert "Debt coercion: debt bondage was reported" in result


def test_the_result_page_shows_the_reasons_in_the_users_language(client, inspector_case, inspector):
    screening = screening_create(
        actor=inspector, case=inspector_case, answers=POSSIBLE, interview_language="ru"
    )
    client.force_login(inspector)
    page = client.get(
        reverse("screening:detail", args=[screening.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    with translation.override("ru"):
        from apps.screening.engine import evaluate, render_reasons

        for reason in render_reasons(evaluate(POSSIBLE), "ru"):
            assert reason.replace("«", "&laquo;")[:20] in page or reason[:20] in page


def test_a_completion_without_the_interview_language_keeps_the_form_with_an_error(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    data = interview_data(POSSIBLE, action="complete")
    data["interview_language"] = ""
    response = client.post(reverse("screening:start", args=[inspector_case.pk]), data)
    assert response.status_code == 400
    assert "Record the language the interview was held in." in response.content.decode()
    assert Screening.objects.count() == 0


def test_an_unknown_currency_keeps_the_form_with_an_error(client, inspector_case, inspector):
    client.force_login(inspector)
    data = interview_data(POSSIBLE, action="complete", debt_amount="10", debt_currency="XXX")
    response = client.post(reverse("screening:start", args=[inspector_case.pk]), data)
    assert response.status_code == 400 and Screening.objects.count() == 0


def test_the_questions_stay_closed_until_consent_is_recorded(client, inspector_case, inspector):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    page = client.get(url).content.decode()
    assert re.search(r"<fieldset class=\"questions\" data-questions disabled>", page)
    assert "The questions open once consent is recorded." in page

    # Without consent, reviewing or completing is refused with a translated error, and nothing
    # is recorded.
    data = interview_data(POSSIBLE, action="review")
    del data["consent_given"]
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 400
    with translation.override("kk"):
        assert translation.gettext(CONSENT_FIRST) in response.content.decode()
    data["action"] = "complete"
    assert client.post(url, data).status_code == 400
    assert Screening.objects.count() == 0

    # "Continue" shows the page again with the questions open; nothing is saved yet.
    response = client.post(url, {"consent_given": "on", "action": "show"})
    assert response.status_code == 200 and Screening.objects.count() == 0
    assert re.search(r"<fieldset class=\"questions\" data-questions>", response.content.decode())


def test_a_draft_saved_without_consent_keeps_the_answers_already_recorded(
    client, inspector_case, inspector
):
    screening = screening_create(
        actor=inspector, case=inspector_case, answers={"cd_documents": "yes"}, complete=False
    )
    client.force_login(inspector)
    edit = reverse("screening:edit", args=[screening.pk])
    # The questions are disabled, so the browser sends none of them.
    client.post(edit, {"interview_language": "ru", "action": "draft", "version": screening.version})
    screening.refresh_from_db()
    assert screening.interview_language == "ru"
    assert screening.answers == {"cd_documents": "yes"}


def test_changing_the_interview_language_keeps_every_answer_and_saves_nothing(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    data = interview_data(
        POSSIBLE, action="show", interview_language="ru", debt_amount="5000", debt_currency="RUB"
    )
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and Screening.objects.count() == 0
    assert get_catalogue().question("cd_debt_bondage", "ru") in page
    for code, answer in POSSIBLE.items():
        assert checked(page, code) == answer
    assert 'name="debt_amount" value="5000"' in page


def test_the_summary_shows_what_completing_records_and_completes_from_its_hidden_fields(
    client, inspector_case, inspector
):
    from apps.removals.services import removal_propose

    removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    data = interview_data(
        POSSIBLE, action="review", debt_amount="150000", debt_currency="KZT",
        debt_creditor="employer", interpreter_used="on",
    )  # fmt: skip
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    page = response.content.decode()
    assert response.status_code == 200 and Screening.objects.count() == 0
    catalogue = get_catalogue()
    with translation.override("kk"):
        gettext = translation.gettext
        assert gettext("Review the screening") in page
        assert gettext("Possible victim") in page
        assert (
            gettext(
                "The pending removal of this case will be suspended, and the person routed to NGO services."
            )
            in page
        )  # noqa: E501
        for code in (c for c, answer in POSSIBLE.items() if answer == "yes"):
            assert catalogue.question(code, "kk") in page
        assert "150000" in page and catalogue.creditor_label("employer", "kk") in page

    # The summary's form carries every answer: completing from it records exactly them.
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert {code: hidden[code] for code in POSSIBLE} == POSSIBLE
    hidden["action"] = "complete"
    response = client.post(url, hidden)
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert screening.is_complete and screening.answers == {
        code: answer for code, answer in POSSIBLE.items() if answer != "unknown"
    }
    assert screening.interpreter_used and screening.consent_given
    assert screening.debt_currency == "KZT" and screening.debt_creditor == "employer"


def test_the_steps_show_how_many_questions_each_dimension_has_answered(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    page = client.post(url, interview_data(POSSIBLE, action="show")).content.decode()
    catalogue = get_catalogue()
    # An adult in construction: the list for adults in labour exploitation.
    asked = catalogue.codes_for("adult_labour")
    answered = sum(1 for answer in POSSIBLE.values() if answer in ("yes", "no"))
    assert f'max="{len(asked)}" value="{answered}"' in page
    for dimension in catalogue.dimensions:
        codes = [i.code for i in catalogue.indicators_in(dimension.code, "adult_labour")]
        done = sum(1 for code in codes if POSSIBLE.get(code) in ("yes", "no"))
        step = re.search(
            rf'data-step="{dimension.code}">.*?<span data-answered>(\d+)</span> / (\d+)', page, re.S
        )
        assert step and step.groups() == (str(done), str(len(codes)))


def test_what_the_case_knows_prefills_the_document_questions(client, inspector_case, inspector):
    def employer_holds_passport(case):
        return {"cd_documents": "The employer holds the passport."}

    prefill.register(employer_holds_passport)
    try:
        client.force_login(inspector)
        page = client.get(reverse("screening:start", args=[inspector_case.pk])).content.decode()
    finally:
        prefill._sources.remove(employer_holds_passport)
    assert "The employer holds the passport." in page
    assert checked(page, "cd_documents") == "yes"
    assert checked(page, "cd_debt_bondage") == "unknown"


def test_administrators_and_auditors_cannot_open_the_interview(client, case_a, auditor):
    client.force_login(auditor)
    assert client.get(reverse("screening:start", args=[case_a.pk])).status_code == 403


def test_another_organisations_case_is_not_found(client, case_a, caseworker_b):
    client.force_login(caseworker_b)
    assert client.get(reverse("screening:start", args=[case_a.pk])).status_code == 404


def test_the_catalogue_page_lists_indicators_in_three_languages(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("screening:catalogue")).content.decode()
    catalogue = get_catalogue()
    for language in ("en", "ru", "kk"):
        assert catalogue.text("cd_debt_bondage", language) in page
    assert catalogue.version in page


def test_the_case_panel_shows_the_history_with_catalogue_versions(case_a, caseworker_a):
    screening_create(actor=caseworker_a, case=case_a, answers=POSSIBLE, interview_language="ru")
    request = RequestFactory().get("/")
    request.user = caseworker_a
    panels = {p["template"]: p["context"] for p in panels_for(request, case_a)}
    context = panels["screening/_case_panel.html"]
    assert context["latest"].trafficking == "possible_victim"
    assert context["can_screen"] is True
    assert context["reasons"]
    from django.template.loader import render_to_string

    html = render_to_string("screening/_case_panel.html", {"panel": context})
    # The version by name, never its code (issue 14: raw codes never appear in the interface).
    assert (
        "ILO/EC Delphi indicators (2009), adult and child lists for labour, sexual exploitation "
        "and begging, and debt, version 2"
    ) in html
    assert "delphi-2009+debt-2" not in html and "Start screening" in html


def test_the_screenings_list_is_scoped(client, case_a, caseworker_a, caseworker_b):
    screening_create(actor=caseworker_a, case=case_a, answers=POSSIBLE, interview_language="ru")
    client.force_login(caseworker_b)
    assert case_a.reference not in client.get(reverse("screening:list")).content.decode()
    client.force_login(caseworker_a)
    assert case_a.reference in client.get(reverse("screening:list")).content.decode()


def test_the_interview_starts_from_the_recruitment_debt_the_case_records(
    client, inspector_case, inspector
):
    from decimal import Decimal

    inspector_case.recruitment_debt_amount = Decimal("450000")
    inspector_case.recruitment_debt_currency = "KZT"
    inspector_case.recruitment_debt_creditor = "recruiter"
    inspector_case.save()
    client.force_login(inspector)
    page = client.get(
        reverse("screening:start", args=[inspector_case.pk]), HTTP_ACCEPT_LANGUAGE="kk"
    ).content.decode()
    assert 'name="debt_amount" value="450000' in page
    assert re.search(r'<option value="KZT" selected>KZT — Қазақстан теңгесі</option>', page)
    assert re.search(r'<option value="recruiter" selected>', page)
    assert checked(page, "debt_owed") == "yes"
