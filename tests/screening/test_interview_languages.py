"""Interview languages Uzbek, Tajik and Kyrgyz (issue 17, item 3): the catalogue's texts, the
loader's fallback, the interview and summary pages beside the user's language, and the API."""

import copy
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.screening import views
from apps.screening.catalogue import (
    INTERVIEW_ONLY,
    LANGUAGES,
    TEXT_LANGUAGES,
    VERSION_1,
    VERSION_2,
    CatalogueError,
    _parse,
    get_catalogue,
    text_for,
)
from apps.screening.languages import ENDONYMS
from apps.screening.models import Screening
from tests.screening.patterns import POSSIBLE, payload
from tests.screening.test_catalogue import CYRILLIC_LETTER, LATIN_LETTER

V1 = get_catalogue(VERSION_1)
V2 = get_catalogue(VERSION_2)
FILE = Path(__file__).resolve().parents[2] / "apps/screening/catalogue/delphi-2009+debt-2.json"
SIX = ("en", "ru", "kk", "uz", "tg", "ky")
# Letters of Tajik and Kyrgyz Cyrillic that Russian lacks.
TAJIK_LETTER = re.compile(r"[ғӣқӯҳҷҒӢҚӮҲҶ]")
KYRGYZ_LETTER = re.compile(r"[ңөүҢӨҮ]")
# Uzbek Latin writes oʻ and gʻ with U+02BB; an ASCII or typographic apostrophe there is wrong.
# Letters the language does not have (Kazakh ә ұ һ і, Kyrgyz ң ө ү in Tajik, Tajik ғ қ ӣ ӯ ҳ ҷ
# in Kyrgyz): a text with them was most likely pasted from a neighbouring language.
FOREIGN_LETTER = {
    "tg": re.compile(r"[әұһіңөүӘҰҺІҢӨҮ]"),
    "ky": re.compile(r"[әұһіғқӣӯҳҷӘҰҺІҒҚӢӮҲҶ]"),
}
UZBEK_WRONG_APOSTROPHE = re.compile(r"[oOgG]['‘’`ʼ]")


def person_texts(catalogue):
    """Every text shown to the person: questions, section names, lists, creditors, answers and
    the consent statement."""
    for i in catalogue.indicators:
        yield f"question {i.code}", i.question
    for d in catalogue.dimensions:
        yield f"dimension {d.code}", d.name
    for lst in catalogue.lists:
        yield f"list {lst.code}", lst.name
    for c in catalogue.creditors:
        yield f"creditor {c.code}", c.label
    for value, texts in catalogue.answers.items():
        yield f"answer {value}", texts
    if catalogue.consent:
        yield "consent", catalogue.consent


# --- the catalogue ----------------------------------------------------------------------


def test_version_2_has_every_question_and_answer_text_in_all_six_languages():
    assert V2.languages == SIX
    assert set(V2.answers) == {"yes", "no", "unknown"} and V2.consent
    missing = [
        (where, lang)
        for where, texts in person_texts(V2)
        for lang in SIX
        if not texts.get(lang) or texts[lang] != texts[lang].strip()
    ]
    assert missing == []


def test_the_new_texts_are_in_their_scripts_and_not_copies():
    problems = []
    for where, texts in person_texts(V2):
        uz, tg, ky = texts["uz"], texts["tg"], texts["ky"]
        if CYRILLIC_LETTER.search(uz) or UZBEK_WRONG_APOSTROPHE.search(uz):
            problems.append((where, "uz"))
        for lang, text in (("tg", tg), ("ky", ky)):
            if LATIN_LETTER.search(text) or not CYRILLIC_LETTER.search(text):
                problems.append((where, lang, "not Cyrillic"))
            if FOREIGN_LETTER[lang].search(text):
                problems.append((where, lang, "letters of another language"))
        if len({texts["ru"], texts["kk"], tg, ky}) < 4 and not where.startswith("creditor"):
            problems.append((where, "copy"))
    assert problems == []


def test_uzbek_uses_the_modifier_letter_turned_comma_for_o_and_g():
    questions = " ".join(i.question["uz"] for i in V2.indicators)
    assert "oʻ" in questions and "gʻ" in questions
    assert "\u02bb" in V2.answers["no"]["uz"]  # Yoʻq


def test_tajik_and_kyrgyz_questions_carry_their_own_letters_and_are_questions():
    for lang, letters in (("tg", TAJIK_LETTER), ("ky", KYRGYZ_LETTER)):
        questions = [i.question[lang] for i in V2.indicators]
        assert all(q.endswith("?") for q in questions), lang
        assert len(set(questions)) == len(questions), lang
        without = [i.code for i in V2.indicators if not letters.search(i.question[lang])]
        assert len(without) <= 8, (lang, without)
    uz = [i.question["uz"] for i in V2.indicators]
    assert all(q.endswith("?") for q in uz) and len(set(uz)) == len(uz)


def test_version_1_keeps_its_three_languages_and_no_answer_labels():
    assert V1.languages == LANGUAGES
    assert V1.answers == {} and V1.consent is None
    assert V1.answer_for("yes", "uz") is None and V1.consent_for("uz") is None
    # Its question texts are unchanged: three languages, nothing added.
    assert all(set(i.question) == set(LANGUAGES) for i in V1.indicators)


def test_the_interface_languages_stay_english_russian_and_kazakh():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "ru", "kk"]
    assert not set(INTERVIEW_ONLY) & {code for code, _name in settings.LANGUAGES}


# --- the loader -------------------------------------------------------------------------


def _data():
    return copy.deepcopy(json.loads(FILE.read_text(encoding="utf-8")))


def test_a_missing_text_falls_back_to_russian_and_says_so():
    data = _data()
    del data["indicators"][0]["question"]["uz"]
    catalogue = _parse(data)
    first = catalogue.indicators[0]
    assert first.question_for("uz") == (first.question["ru"], "ru")
    assert first.question_for("tg") == (first.question["tg"], "tg")
    # An interface language falls back to English, as before.
    assert text_for({"en": "Yes", "ru": "Да", "kk": "Иә"}, "de") == ("Yes", "en")


def test_a_text_in_an_undeclared_or_unknown_language_is_refused():
    data = _data()
    data["indicators"][0]["question"]["de"] = "Waren Sie …?"
    with pytest.raises(CatalogueError, match="undeclared language"):
        _parse(data)
    data = _data()
    data["languages"] = ["en", "ru", "kk", "uz", "tg", "ky", "xx"]
    with pytest.raises(CatalogueError, match="unknown language"):
        _parse(data)
    data = _data()
    data["languages"] = ["en", "ru", "kk"]
    with pytest.raises(CatalogueError, match="undeclared language"):
        _parse(data)


def test_the_interface_languages_stay_required_and_answers_complete():
    data = _data()
    data["languages"] = ["en", "ru", "uz"]
    with pytest.raises(CatalogueError, match="must include"):
        _parse(data)
    data = _data()
    del data["answers"]["unknown"]
    with pytest.raises(CatalogueError, match="answers"):
        _parse(data)
    data = _data()
    del data["consent"]["kk"]
    with pytest.raises(CatalogueError, match="consent: no text in kk"):
        _parse(data)


def test_the_interview_only_languages_are_the_three():
    assert INTERVIEW_ONLY == ("uz", "tg", "ky") and TEXT_LANGUAGES == SIX
    assert ENDONYMS == {"uz": "Oʻzbekcha", "tg": "Тоҷикӣ", "ky": "Кыргызча"}


# --- the pages --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("ui", ["ru", "kk"])
@pytest.mark.parametrize("language", ["uz", "tg", "ky"])
def test_the_interview_shows_the_persons_language_beside_the_users(
    client, inspector_case, inspector, language, ui
):
    client.force_login(inspector)
    response = client.get(
        reverse("screening:start", args=[inspector_case.pk]),
        {"interview_language": language},
        HTTP_ACCEPT_LANGUAGE=ui,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{ui}"' in page
    documents = V2.by_code["cd_documents"]
    assert (
        f'<span class="question-text" lang="{language}">{documents.question[language]}</span>'
        in page
    )
    assert f'<span lang="{ui}">{documents.question[ui]}</span>' in page
    assert f'<span lang="{language}">{V2.answers["yes"][language]}</span>' in page
    assert f'lang="{language}">{V2.consent[language]}</p>' in page
    assert f'<span lang="{ui}">{V2.consent[ui]}</span>' in page
    assert f'lang="{language}">{V2.dimension_name("coercion_destination", language)}</span>' in page
    with translation.override(ui):
        note = translation.gettext(
            "Show the screen to the person: the texts in bold are for the person (language: "
            "%(person)s); below each, marked “%(mine)s:”, is the same text in your language."
        )
        assert note.split(":")[0] in page and note != note.split(":")[0]
        # The selector names each language in the user's language and in its own.
        for code, own in ENDONYMS.items():
            name = {"uz": "Uzbek", "tg": "Tajik", "ky": "Kyrgyz"}[code]
            assert f"{translation.gettext(name)} · {own}" in page
    assert "for the interpreter" not in page
    assert "data-fallback" not in page


@pytest.mark.django_db
def test_a_question_without_a_text_in_the_language_is_shown_in_russian_and_marked(
    client, inspector_case, inspector, monkeypatch
):
    data = _data()
    for raw in data["indicators"]:
        if raw["code"] == "cd_documents":
            del raw["question"]["ky"]
    catalogue = _parse(data)
    monkeypatch.setattr(views, "get_catalogue", lambda version=None: catalogue)
    client.force_login(inspector)
    page = client.get(
        reverse("screening:start", args=[inspector_case.pk]), {"interview_language": "ky"}
    ).content.decode()
    documents = catalogue.by_code["cd_documents"]
    assert f'<span class="question-text" lang="ru">{documents.question["ru"]}</span>' in page
    assert "data-fallback" in page and page.count("data-fallback") == 1
    assert catalogue.by_code["cd_violence"].question["ky"] in page


@pytest.mark.django_db
@pytest.mark.parametrize("ui", ["en", "ru", "kk"])
def test_an_unknown_interview_language_in_the_address_is_a_translated_400(
    client, inspector_case, inspector, ui
):
    client.force_login(inspector)
    response = client.get(
        reverse("screening:start", args=[inspector_case.pk]),
        {"interview_language": "xx"},
        HTTP_ACCEPT_LANGUAGE=ui,
    )
    assert response.status_code == 400
    with translation.override(ui):
        message = translation.gettext(
            "Choose the language of the interview from the list (ISO 639-1 code)."
        )
    assert message in response.content.decode()
    assert not Screening.objects.exists()


def _interview_data(**extra):
    data = {code: "unknown" for code in V2.codes}
    data.update(POSSIBLE)
    return {"consent_given": "on", **data, **extra}


@pytest.mark.django_db
def test_an_unknown_interview_language_posted_is_a_translated_400_and_saves_nothing(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    response = client.post(
        reverse("screening:start", args=[inspector_case.pk]),
        _interview_data(interview_language="de", action="complete"),
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 400
    with translation.override("kk"):
        message = translation.gettext(
            "Choose the language of the interview from the list (ISO 639-1 code)."
        )
    assert message in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "ui"), [("tg", "ru"), ("uz", "kk"), ("ky", "ru")])
def test_the_summary_shows_the_yes_answers_in_both_languages_and_the_screening_keeps_its_language(
    client, inspector_case, inspector, language, ui
):
    client.force_login(inspector)
    url = reverse("screening:start", args=[inspector_case.pk])
    review = client.post(
        url, _interview_data(interview_language=language, action="review"), HTTP_ACCEPT_LANGUAGE=ui
    )
    assert review.status_code == 200
    page = review.content.decode()
    debt = V2.by_code["cd_debt_bondage"]
    assert f'lang="{language}">{debt.question[language]}</span>' in page
    assert f'<span lang="{ui}">{debt.question[ui]}</span>' in page
    assert not Screening.objects.exists()
    done = client.post(
        url,
        _interview_data(interview_language=language, action="complete"),
        HTTP_ACCEPT_LANGUAGE=ui,
    )
    screening = Screening.objects.get()
    assert done.status_code == 302 and screening.interview_language == language
    assert screening.is_complete
    detail = client.get(done["Location"], HTTP_ACCEPT_LANGUAGE=ui).content.decode()
    name = {"uz": "Uzbek", "tg": "Tajik", "ky": "Kyrgyz"}[language]
    with translation.override(ui):
        assert translation.gettext(name) in detail


@pytest.mark.django_db
def test_an_interview_in_russian_shows_no_second_text_to_a_russian_user(
    client, inspector_case, inspector
):
    client.force_login(inspector)
    page = client.get(
        reverse("screening:start", args=[inspector_case.pk]),
        {"interview_language": "ru"},
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()
    assert "question-translation" not in page and "answer-translation" not in page
    assert V2.consent["ru"] in page


# --- the API ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["uz", "tg", "ky"])
def test_the_api_records_an_interview_in_each_new_language(
    api, inspector_case, inspector, language
):
    response = api.as_user(inspector).post(
        "/api/v1/screenings/",
        payload(inspector_case, POSSIBLE, interview_language=language),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["interview_language"] == language
    assert Screening.objects.get().interview_language == language


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["xx", "uzb", 7])
def test_the_api_refuses_an_unknown_interview_language_with_a_translated_400(
    api, inspector_case, inspector, value
):
    response = api.as_user(inspector).post(
        "/api/v1/screenings/",
        payload(inspector_case, POSSIBLE, interview_language=value),
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    with translation.override("ru"):
        message = translation.gettext(
            "Choose the language of the interview from the list (ISO 639-1 code)."
        )
    assert response.json()["interview_language"] == [message]
    assert not Screening.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["uz", "tg", "ky", "kk"])
def test_the_indicator_list_gives_the_questions_in_the_language_asked(api, auditor, language):
    body = (
        api.as_user(auditor)
        .get("/api/v1/indicators/", {"language": language, "dimension": "coercion_destination"})
        .json()
    )
    row = next(r for r in body["results"] if r["code"] == "cd_documents")
    assert row["question"] == V2.question("cd_documents", language)
    assert row["question_language"] == language
    # Meanings stay in the request's language.
    assert row["text"] == V2.text("cd_documents", "en")


@pytest.mark.django_db
def test_version_1_indicators_in_uzbek_are_the_russian_texts_for_the_interpreter(api, auditor):
    body = (
        api.as_user(auditor)
        .get("/api/v1/indicators/", {"version": VERSION_1, "language": "ru"})
        .json()
    )
    assert body["results"][0]["question_language"] == "ru"
    refused = api.as_user(auditor).get(
        "/api/v1/indicators/", {"version": VERSION_1, "language": "uz"}
    )
    assert refused.status_code == 400 and "language" in refused.json()


@pytest.mark.django_db
def test_an_unknown_indicator_language_is_a_translated_400(api, auditor):
    response = api.as_user(auditor).get(
        "/api/v1/indicators/", {"language": "de"}, HTTP_ACCEPT_LANGUAGE="kk"
    )
    assert response.status_code == 400
    with translation.override("kk"):
        start = translation.gettext("Unknown language; available: %(languages)s.").split("%")[0]
    assert response.json()["language"][0].startswith(start)


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_interview_languages(client, auditor):
    client.force_login(auditor)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/indicators/"]["get"]["parameters"]
    language = next(p for p in parameters if p["name"] == "language")
    assert set(language["schema"]["enum"]) == set(SIX)
    screening = schema["components"]["schemas"]["ScreeningInputRequest"]["properties"]
    enum = screening["interview_language"]["allOf"][0]["enum"]
    assert {"uz", "tg", "ky", ""} <= set(enum) and "xx" not in enum


@pytest.mark.django_db
def test_the_catalogue_page_shows_the_questions_in_the_interview_languages_for_review(
    client, auditor
):
    client.force_login(auditor)
    page = client.get(reverse("screening:catalogue"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for language in INTERVIEW_ONLY:
        assert f'<span lang="{language}">{V2.question("cd_documents", language)}</span>' in page
    old = client.get(reverse("screening:catalogue"), {"version": VERSION_1}).content.decode()
    assert V2.question("cd_documents", "uz") not in old
    assert "Questions in the interview languages" not in old
