"""Catalogue version 1 against screening.md, and the catalogue loader.

Version 1 stays shipped, unchanged, so that screenings stored with it keep rendering and
evaluating as they were computed; version 2 is tested in test_catalogue_v2.py.
"""

import dataclasses
import re
from collections import Counter

import pytest
from django.utils.translation import override

from apps.screening.catalogue import (
    CURRENT_VERSION,
    LANGUAGES,
    VERSION_1,
    VERSION_2,
    CatalogueError,
    available_versions,
    get_catalogue,
    normalize_language,
)

# screening.md, copied by hand: the independent source of truth for the JSON file.
# code, dimension, strength (S/M/W, None for debt), ILO role (I/P/None)
SPEC_INDICATORS = [
    ("dr_job_nature", "deceptive_recruitment", "S", "I"),
    ("dr_conditions", "deceptive_recruitment", "M", "I"),
    ("dr_contract", "deceptive_recruitment", "M", "I"),
    ("dr_family_reunification", "deceptive_recruitment", "M", "I"),
    ("dr_housing", "deceptive_recruitment", "M", "I"),
    ("dr_legal_status", "deceptive_recruitment", "M", "I"),
    ("dr_travel", "deceptive_recruitment", "M", "I"),
    ("dr_wages", "deceptive_recruitment", "M", "I"),
    ("dr_marriage_adoption", "deceptive_recruitment", "M", "I"),
    ("dr_education", "deceptive_recruitment", "W", "I"),
    ("cr_violence", "coercive_recruitment", "S", "P"),
    ("cr_abduction_sale", "coercive_recruitment", "M", "I"),
    ("cr_documents", "coercive_recruitment", "M", "P"),
    ("cr_debt_bondage", "coercive_recruitment", "M", "P"),
    ("cr_isolation", "coercive_recruitment", "M", "P"),
    ("cr_threat_denunciation", "coercive_recruitment", "M", "P"),
    ("cr_threat_inform", "coercive_recruitment", "M", "P"),
    ("cr_threat_violence", "coercive_recruitment", "M", "P"),
    ("cr_violence_family", "coercive_recruitment", "M", "P"),
    ("cr_withholding_money", "coercive_recruitment", "M", "P"),
    ("vr_family_difficulty", "vulnerability_recruitment", "M", None),
    ("vr_irregular_status", "vulnerability_recruitment", "M", None),
    ("vr_education_language", "vulnerability_recruitment", "M", None),
    ("vr_information", "vulnerability_recruitment", "M", None),
    ("vr_exploiter_control", "vulnerability_recruitment", "M", None),
    ("vr_economic", "vulnerability_recruitment", "M", None),
    ("vr_false_law_info", "vulnerability_recruitment", "M", None),
    ("vr_false_migration_info", "vulnerability_recruitment", "M", None),
    ("vr_family_situation", "vulnerability_recruitment", "M", None),
    ("vr_personal_situation", "vulnerability_recruitment", "M", None),
    ("vr_dependency", "vulnerability_recruitment", "M", None),
    ("vr_authorities_status", "vulnerability_recruitment", "M", None),
    ("vr_cultural_beliefs", "vulnerability_recruitment", "W", None),
    ("vr_past_difficulties", "vulnerability_recruitment", "W", None),
    ("vr_travel_difficulty", "vulnerability_recruitment", "W", None),
    ("vr_general_context", "vulnerability_recruitment", "W", None),
    ("ex_excessive_hours", "exploitative_conditions", "S", "I"),
    ("ex_living_conditions", "exploitative_conditions", "M", "I"),
    ("ex_hazardous", "exploitative_conditions", "M", "I"),
    ("ex_low_no_salary", "exploitative_conditions", "M", None),
    ("ex_labour_law", "exploitative_conditions", "M", None),
    ("ex_social_protection", "exploitative_conditions", "M", None),
    ("ex_working_conditions", "exploitative_conditions", "M", "I"),
    ("ex_wage_manipulation", "exploitative_conditions", "M", "P"),
    ("ex_education", "exploitative_conditions", "W", None),
    ("cd_documents", "coercion_destination", "S", "P"),
    ("cd_debt_bondage", "coercion_destination", "S", "P"),
    ("cd_isolation", "coercion_destination", "S", "P"),
    ("cd_violence", "coercion_destination", "S", "P"),
    ("cd_illicit_activities", "coercion_destination", "M", "I"),
    ("cd_forced_tasks", "coercion_destination", "M", "I"),
    ("cd_act_against_peers", "coercion_destination", "M", "I"),
    ("cd_lie_authorities", "coercion_destination", "M", "I"),
    ("cd_threat_denunciation", "coercion_destination", "M", "P"),
    ("cd_threat_worse_conditions", "coercion_destination", "M", "P"),
    ("cd_threat_violence", "coercion_destination", "M", "P"),
    ("cd_strong_influence", "coercion_destination", "M", None),
    ("cd_violence_family", "coercion_destination", "M", "P"),
    ("cd_withholding_wages", "coercion_destination", "M", "P"),
    ("cd_threat_inform", "coercion_destination", "W", "P"),
    ("vd_dependency", "vulnerability_destination", "M", None),
    ("vd_unknown_area", "vulnerability_destination", "M", None),
    ("vd_economic", "vulnerability_destination", "M", None),
    ("vd_family_situation", "vulnerability_destination", "M", None),
    ("vd_authorities_status", "vulnerability_destination", "M", None),
    ("vd_past_difficulties", "vulnerability_destination", "W", None),
    ("vd_personal_characteristics", "vulnerability_destination", "W", None),
    ("debt_owed", "debt", None, None),
    ("debt_inflated", "debt", None, None),
    ("debt_wages_withheld", "debt", None, None),
    ("debt_cannot_leave", "debt", None, "I"),
    ("debt_threats", "debt", None, "P"),
    ("debt_family_pledged", "debt", None, None),
]
SPEC_DIMENSIONS = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "vulnerability_recruitment",
    "exploitative_conditions",
    "coercion_destination",
    "vulnerability_destination",
    "debt",
]
SPEC_COUNTS = {
    "deceptive_recruitment": 10,
    "coercive_recruitment": 10,
    "vulnerability_recruitment": 16,
    "exploitative_conditions": 9,
    "coercion_destination": 15,
    "vulnerability_destination": 7,
    "debt": 6,
}
SPEC_CORE = {
    "dr_job_nature",
    "dr_wages",
    "cr_violence",
    "ex_excessive_hours",
    "ex_low_no_salary",
    "cd_documents",
    "cd_debt_bondage",
    "cd_isolation",
    "cd_violence",
    "cd_threat_denunciation",
    "cd_withholding_wages",
    "debt_owed",
}
SPEC_CREDITORS = ["employer", "recruiter", "intermediary", "other"]
STRENGTH_NAMES = {"S": "strong", "M": "medium", "W": "weak", None: None}

LATIN_LETTER = re.compile(r"[A-Za-z]")
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
KAZAKH_LETTER = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


@pytest.fixture(scope="module")
def catalogue():
    return get_catalogue(VERSION_1)


def every_translated_text(catalogue):
    """(where, language, text) for every text the catalogue shows to people."""
    for dimension in catalogue.dimensions:
        for lang in LANGUAGES:
            yield f"dimension {dimension.code}", lang, dimension.name[lang]
    for indicator in catalogue.indicators:
        for lang in LANGUAGES:
            yield f"text {indicator.code}", lang, indicator.text[lang]
            yield f"question {indicator.code}", lang, indicator.question[lang]
    for creditor in catalogue.creditors:
        for lang in LANGUAGES:
            yield f"creditor {creditor.code}", lang, creditor.label[lang]


def test_spec_table_in_this_test_is_consistent_with_itself():
    assert Counter(dimension for _, dimension, _, _ in SPEC_INDICATORS) == SPEC_COUNTS
    assert len({code for code, *_ in SPEC_INDICATORS}) == len(SPEC_INDICATORS) == 73
    assert {code for code, *_ in SPEC_INDICATORS} >= SPEC_CORE


def test_version_1_is_still_shipped_beside_the_current_version_2(catalogue):
    assert VERSION_1 == "delphi-2009-labour+debt-1"
    assert catalogue.version == VERSION_1
    assert CURRENT_VERSION == VERSION_2 == "delphi-2009+debt-2"
    assert set(available_versions()) == {VERSION_1, VERSION_2}


def test_version_1_has_no_lists_and_the_first_rule_set(catalogue):
    assert catalogue.rules == 1
    assert catalogue.lists == ()
    assert catalogue.default_list is None
    assert catalogue.list_for(age=10, sector="sex_industry") is None
    assert catalogue.codes_for(None) == catalogue.codes


def test_dimensions_are_the_six_delphi_dimensions_then_debt(catalogue):
    assert [d.code for d in catalogue.dimensions] == SPEC_DIMENSIONS
    assert [d.order for d in catalogue.dimensions] == list(range(1, 8))


def test_each_dimension_has_the_number_of_codes_in_the_spec(catalogue):
    assert Counter(i.dimension for i in catalogue.indicators) == SPEC_COUNTS


def test_every_indicator_matches_its_spec_row_in_spec_order(catalogue):
    actual = [(i.code, i.dimension, i.strength, i.role) for i in catalogue.indicators]
    expected = [(c, d, STRENGTH_NAMES[s], r) for c, d, s, r in SPEC_INDICATORS]
    assert actual == expected


def test_debt_codes_have_no_strength_so_none_counts_as_strong(catalogue):
    debt = catalogue.indicators_in("debt")
    assert [i.strength for i in debt] == [None] * 6
    assert not any(i.strength == "strong" for i in debt)


def test_core_flags_are_exactly_the_spec_core_questions(catalogue):
    assert {i.code for i in catalogue.indicators if i.core} == SPEC_CORE
    assert set(catalogue.core_codes) == SPEC_CORE


def test_debt_creditors_are_the_spec_values(catalogue):
    assert list(catalogue.creditor_codes) == SPEC_CREDITORS


def test_every_text_is_present_in_english_russian_and_kazakh(catalogue):
    assert LANGUAGES == ("en", "ru", "kk")
    empty = [
        (where, lang)
        for where, lang, text in every_translated_text(catalogue)
        if not text or text != text.strip()
    ]
    assert empty == []


def test_russian_and_kazakh_texts_are_translations_not_copies(catalogue):
    problems = []
    by_place = {}
    for where, lang, text in every_translated_text(catalogue):
        by_place.setdefault(where, {})[lang] = text
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


def test_kazakh_questions_use_kazakh_letters(catalogue):
    # Every Kazakh question ends in the particle ма/ме/ба/бе/па/пе, and most carry letters Russian
    # lacks; a question with neither was most likely pasted from Russian.
    bad = [
        i.code
        for i in catalogue.indicators
        if not KAZAKH_LETTER.search(i.question["kk"])
        or not re.search(r"(ма|ме|ба|бе|па|пе)\?$", i.question["kk"])
    ]
    assert bad == []


def test_questions_are_questions_and_texts_are_distinct(catalogue):
    for lang in LANGUAGES:
        questions = [i.question[lang] for i in catalogue.indicators]
        texts = [i.text[lang] for i in catalogue.indicators]
        assert all(q.endswith("?") for q in questions), lang
        assert len(set(questions)) == len(questions), lang
        # Indicators are named by their text in reasons, so two must never read the same.
        assert len(set(texts)) == len(texts), lang


def test_english_questions_speak_to_the_migrant_in_plain_words(catalogue):
    jargon = re.compile(r"\b(indicator|exploit\w*|denunciation|coercion)\b", re.I)
    assert [i.code for i in catalogue.indicators if jargon.search(i.question["en"])] == []
    assert all(re.search(r"\b(you|your)\b", i.question["en"], re.I) for i in catalogue.indicators)


def test_get_catalogue_is_cached_and_defaults_to_the_current_version():
    assert get_catalogue() is get_catalogue(CURRENT_VERSION)


@pytest.mark.parametrize(
    "version", ["delphi-2009-labour+debt-0", "../catalogue/delphi-2009-labour+debt-1", " ", "x/y"]
)
def test_unknown_catalogue_version_is_refused(version):
    with pytest.raises(CatalogueError):
        get_catalogue(version)


def test_lookup_helpers(catalogue):
    assert catalogue.by_code["cd_documents"].dimension == "coercion_destination"
    assert [i.code for i in catalogue.indicators_in("debt")][0] == "debt_owed"
    assert catalogue.text("cd_documents", "en") == "Confiscation of documents"
    assert catalogue.dimension_name("debt", "ru") == "Долг"
    assert catalogue.creditor_label("employer", "kk") == "Жұмыс беруші"
    assert catalogue.question("cd_documents", "en") == (
        "Did the employer or recruiter take your passport or other documents?"
    )
    with pytest.raises(KeyError):
        catalogue.creditor_label("bank")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "ru"), ("ru-RU", "ru"), ("kk_KZ", "kk"), ("en-us", "en"), ("de", "en"), ("uz", "en")],
)
def test_language_codes_fall_back_to_english(language, expected):
    assert normalize_language(language) == expected


def test_texts_follow_the_active_language_by_default(catalogue):
    indicator = catalogue.by_code["cd_documents"]
    with override("kk"):
        assert indicator.text_in() == indicator.text["kk"]
        assert indicator.question_in() == indicator.question["kk"]
    with override("ru"):
        assert catalogue.dimension_name("debt") == "Долг"
    with override("de"):
        assert indicator.text_in() == "Confiscation of documents"


def test_catalogue_objects_are_frozen(catalogue):
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.version = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.indicators[0].strength = "weak"  # type: ignore[misc]
    with pytest.raises(TypeError):
        catalogue.by_code["cd_documents"] = catalogue.indicators[0]  # type: ignore[index]
    with pytest.raises(TypeError):
        catalogue.indicators[0].text["en"] = "changed"  # type: ignore[index]
