"""Catalogue version 2 (issue 17): its lists, its new and reworded questions, its texts."""

import json
import re
from pathlib import Path

import pytest

from apps.screening.catalogue import (
    CURRENT_VERSION,
    LANGUAGES,
    VERSION_1,
    VERSION_2,
    CatalogueError,
    _parse,
    get_catalogue,
)
from tests.screening.test_catalogue import (
    CYRILLIC_LETTER,
    KAZAKH_LETTER,
    LATIN_LETTER,
    SPEC_CORE,
)

V1 = get_catalogue(VERSION_1)
V2 = get_catalogue(VERSION_2)
FILE = Path(__file__).resolve().parents[2] / "apps/screening/catalogue/delphi-2009+debt-2.json"

ADULT_LISTS = ["adult_labour", "adult_sexual", "adult_begging"]
CHILD_LISTS = ["child_labour", "child_sexual", "child_begging"]
ALL_LISTS = ADULT_LISTS + CHILD_LISTS
# Indicators asked only in some lists, by the lists that ask them.
LIST_ONLY = {
    "ex_sexual_earnings": {"adult_sexual", "child_sexual"},
    "ex_sexual_no_protection": {"adult_sexual", "child_sexual"},
    "ex_child_commercial_sex": {"child_sexual"},
    "ex_begging_quota": {"adult_begging", "child_begging"},
    "ex_begging_staged": {"adult_begging", "child_begging"},
    "cr_payment_to_guardian": set(CHILD_LISTS),
    "cd_separated_from_family": set(CHILD_LISTS),
    "cd_forced_substances": {"adult_sexual", "child_sexual"},
}
VULNERABILITY = [i.code for i in V2.indicators if i.dimension.startswith("vulnerability_")]


def test_version_2_is_current_and_declares_the_second_rule_set():
    assert CURRENT_VERSION == VERSION_2 == V2.version == "delphi-2009+debt-2"
    assert get_catalogue() is V2
    assert V2.rules == 2 and V1.rules == 1


def test_the_lists_are_the_delphi_adult_and_child_lists_and_a_begging_variant():
    assert [(lst.code, lst.age_group, lst.form) for lst in V2.lists] == [
        ("adult_labour", "adult", "labour"),
        ("adult_sexual", "adult", "sexual"),
        ("adult_begging", "adult", "begging"),
        ("child_labour", "child", "labour"),
        ("child_sexual", "child", "sexual"),
        ("child_begging", "child", "begging"),
    ]
    for lst in V2.lists:
        assert "Operational indicators of trafficking in human beings" in lst.source
        assert lst.for_children == (lst.age_group == "child")
        if lst.for_children:
            assert "Palermo Protocol art. 3(c)" in lst.source
    assert V2.default_list == "adult_labour"


@pytest.mark.parametrize(
    ("age", "sector", "expected"),
    [
        (None, "construction", "adult_labour"),
        (None, "sex_industry", "adult_sexual"),
        (34, "sex_industry", "adult_sexual"),
        (18, "begging", "adult_begging"),
        (17, "begging", "child_begging"),
        (17, "sex_industry", "child_sexual"),
        (12, "agriculture", "child_labour"),
        (0, "domestic_work", "child_labour"),
        (40, "unknown", "adult_labour"),
        (40, "", "adult_labour"),
        (40, None, "adult_labour"),
    ],
)
def test_the_list_follows_the_persons_age_and_the_cases_sector(age, sector, expected):
    assert V2.list_for(age=age, sector=sector) == expected


def test_core_questions_are_version_1s_and_the_free_to_leave_question_in_every_list():
    assert set(V2.core_codes) == SPEC_CORE | {"cd_not_free_to_leave"}
    for code in ALL_LISTS:
        assert set(V2.core_codes) <= set(V2.codes_for(code))


def test_every_version_1_code_is_asked_in_every_list_of_version_2():
    # A draft or a stored answer of version 1 stays valid whichever list version 2 chooses.
    for code in ALL_LISTS:
        assert set(V1.codes) <= set(V2.codes_for(code)), code


def test_list_specific_indicators_are_asked_only_in_their_lists():
    for indicator in V2.indicators:
        expected = LIST_ONLY.get(indicator.code, set(ALL_LISTS))
        asked = {code for code in ALL_LISTS if indicator.in_list(code)}
        assert asked == expected, indicator.code
    assert set(LIST_ONLY) == {i.code for i in V2.indicators if i.lists is not None}


def test_the_free_to_leave_question_is_a_strong_involuntariness_indicator():
    free = V2.by_code["cd_not_free_to_leave"]
    assert (free.dimension, free.strength, free.role, free.core) == (
        "coercion_destination",
        "strong",
        "I",
        True,
    )
    assert "leave" in free.question["en"] and "afraid" in free.question["en"]


def test_the_documents_question_asks_who_holds_them_now_and_whether_they_come_back():
    documents = V2.by_code["cd_documents"]
    question = documents.question["en"]
    for words in ("employer", "recruiter", "intermediary", "now", "get them back"):
        assert words in question
    assert documents.text["en"].startswith("Retention of identity or travel documents")
    assert (documents.strength, documents.role, documents.core) == ("strong", "P", True)
    # Version 1 asked only whether they were taken, naming two of the three holders.
    assert V1.question("cd_documents", "en") == (
        "Did the employer or recruiter take your passport or other documents?"
    )


@pytest.mark.parametrize("code", ["cr_violence", "cd_violence"])
def test_the_violence_questions_ask_about_sexual_violence(code):
    indicator = V2.by_code[code]
    assert "sexual" in indicator.question["en"] and "sexual" in indicator.text["en"]
    assert "сексуальн" in indicator.question["ru"] and "сексуальн" in indicator.text["ru"]
    assert "жыныстық" in indicator.question["kk"] and "жыныстық" in indicator.text["kk"]
    assert "sexual" not in V1.question(code, "en")


def test_the_ilo_roles_are_corrected():
    # ILO: very low or no pay marks involuntary work; wages withheld against a debt are a
    # penalty. Version 1 gave neither a role.
    assert V2.by_code["ex_low_no_salary"].role == "I"
    assert V2.by_code["debt_wages_withheld"].role == "P"
    assert V1.by_code["ex_low_no_salary"].role is None
    assert V1.by_code["debt_wages_withheld"].role is None
    for code in V1.codes:
        if code not in ("ex_low_no_salary", "debt_wages_withheld"):
            assert V2.by_code[code].role == V1.by_code[code].role, code
            assert V2.by_code[code].strength == V1.by_code[code].strength, code


@pytest.mark.parametrize("code", VULNERABILITY)
def test_vulnerability_questions_ask_about_an_abuse_by_the_recruiter_or_employer(code):
    indicator = V2.by_code[code]
    question = indicator.question["en"]
    if indicator.dimension == "vulnerability_recruitment":
        assert "the person who found you this job" in question
    else:
        assert re.search(r"\b(employer|intermediary)\b", question)
    # Something the recruiter or employer did: took advantage, used, controlled, lied.
    acts = r"\b(take advantage|use|used|control|tell you false|treat you worse)\b"
    assert re.search(acts, question), question
    assert re.match(r"(Abuse of|Control by|False information)", indicator.text["en"])


@pytest.mark.parametrize(
    "code",
    [
        "vr_economic",
        "vr_family_situation",
        "vr_authorities_status",
        "vd_economic",
        "vd_family_situation",
        "vd_authorities_status",
    ],
)
def test_the_questions_about_the_persons_own_situation_are_reworded(code):
    assert V2.question(code, "en") != V1.question(code, "en")
    # Version 1 asked about the person's own situation ("Did you take this job because you
    # were poor ...?"); version 2 about what someone did with it.
    assert not re.match(r"(Did|Do|Are) you\b", V2.question(code, "en"))


def test_the_recruiter_is_the_kazakh_official_term_and_not_the_hiring_word():
    raw = FILE.read_text(encoding="utf-8")
    assert not re.search(r"[Жж]алда", raw)
    assert V2.creditor_label("recruiter", "kk") == "Жұмысқа тартушы"
    assert "жұмысқа тартушыға" in V2.question("debt_owed", "kk")
    assert V2.dimension_name("deceptive_recruitment", "kk") == "Алдау арқылы жұмысқа тарту"


def test_strengths_differ_by_list_only_where_the_catalogue_says():
    hazardous = V2.by_code["ex_hazardous"]
    assert [hazardous.strength_in(code) for code in ALL_LISTS] == ["medium"] * 3 + ["strong"] * 3
    assert V2.by_code["ex_education"].strength_in("child_labour") == "medium"
    assert V2.by_code["ex_education"].strength_in("adult_labour") == "weak"
    assert V2.by_code["ex_begging_quota"].strength_in("child_begging") == "strong"
    assert V2.by_code["ex_child_commercial_sex"].strength_in("child_sexual") == "strong"


def _texts(catalogue):
    for dimension in catalogue.dimensions:
        for lang in LANGUAGES:
            yield f"dimension {dimension.code}", lang, dimension.name[lang]
    for lst in catalogue.lists:
        for lang in LANGUAGES:
            yield f"list {lst.code}", lang, lst.name[lang]
    for indicator in catalogue.indicators:
        for lang in LANGUAGES:
            yield f"text {indicator.code}", lang, indicator.text[lang]
            yield f"question {indicator.code}", lang, indicator.question[lang]
    for creditor in catalogue.creditors:
        for lang in LANGUAGES:
            yield f"creditor {creditor.code}", lang, creditor.label[lang]


def test_every_text_is_in_english_russian_and_kazakh_and_translated():
    problems = []
    by_place: dict[str, dict[str, str]] = {}
    for where, lang, text in _texts(V2):
        by_place.setdefault(where, {})[lang] = text
        if not text or text != text.strip():
            problems.append((where, lang, "empty"))
        if lang == "en" and CYRILLIC_LETTER.search(text):
            problems.append((where, lang, "Cyrillic in English"))
        if lang in ("ru", "kk") and (LATIN_LETTER.search(text) or not CYRILLIC_LETTER.search(text)):
            problems.append((where, lang, "not Cyrillic"))
        if lang == "ru" and KAZAKH_LETTER.search(text):
            problems.append((where, lang, "Kazakh letters in Russian"))
    for where, texts in by_place.items():
        if texts["ru"] == texts["kk"]:
            problems.append((where, "kk", "same as Russian"))
    assert problems == []


def test_kazakh_questions_are_kazakh_questions():
    bad = [
        i.code
        for i in V2.indicators
        if not KAZAKH_LETTER.search(i.question["kk"])
        or not re.search(r"(ма|ме|ба|бе|па|пе)\?$", i.question["kk"])
    ]
    assert bad == []


def test_questions_and_texts_are_distinct_and_plain():
    jargon = re.compile(r"\b(indicator|exploit\w*|denunciation|coercion)\b", re.I)
    for lang in LANGUAGES:
        questions = [i.question[lang] for i in V2.indicators]
        texts = [i.text[lang] for i in V2.indicators]
        assert all(q.endswith("?") for q in questions), lang
        assert len(set(questions)) == len(questions), lang
        assert len(set(texts)) == len(texts), lang
    assert [i.code for i in V2.indicators if jargon.search(i.question["en"])] == []
    assert all(re.search(r"\b(you|your)\b", i.question["en"], re.I) for i in V2.indicators)


def test_every_code_appears_once_and_the_file_names_its_sources():
    data = json.loads(FILE.read_text(encoding="utf-8"))
    assert data["rules"] == 2
    for source in (
        "Operational indicators of trafficking in human beings",
        "ILO Indicators of Forced Labour",
        "ILO Handbook for Labour Inspectors",
        "HTCDS",
        "Palermo Protocol art. 3",
    ):
        assert source in data["source"], source
    codes = [i["code"] for i in data["indicators"]]
    assert len(codes) == len(set(codes)) == len(V2.indicators) == len(V1.indicators) + 9


# --- the loader refuses what the engine could not use -------------------------------------


def _minimal(**changes):
    data = json.loads(FILE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_a_core_question_that_names_lists_is_refused():
    data = _minimal()
    for raw in data["indicators"]:
        if raw["code"] == "cd_not_free_to_leave":
            raw["lists"] = ["adult_labour"]
    with pytest.raises(CatalogueError, match="core question"):
        _parse(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [("lists", ["adult_labour", "martians"]), ("lists", []), ("strength_in", {"martians": "weak"})],
)
def test_an_indicator_naming_an_unknown_list_is_refused(key, value):
    data = _minimal()
    data["indicators"][1][key] = value
    with pytest.raises(CatalogueError):
        _parse(data)


def test_a_second_rule_set_without_lists_and_an_unknown_rule_set_are_refused():
    with pytest.raises(CatalogueError, match="lists"):
        _parse(_minimal(lists=[]))
    with pytest.raises(CatalogueError, match="rule set"):
        _parse(_minimal(rules=3))
    with pytest.raises(CatalogueError, match="sector_forms"):
        _parse(_minimal(sector_forms={"sex_industry": "romance"}))
