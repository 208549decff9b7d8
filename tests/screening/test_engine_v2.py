"""The engine's second rule set (catalogue version 2, issue 17), rule change by rule change."""

import json
import re
from pathlib import Path

import pytest
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.screening import demo
from apps.screening.catalogue import VERSION_1, VERSION_2, CatalogueError, get_catalogue
from apps.screening.engine import (
    InvalidAnswers,
    Reason,
    ScreeningResult,
    evaluate,
    render_reasons,
)
from tests.screening import patterns

V1 = get_catalogue(VERSION_1)
V2 = get_catalogue(VERSION_2)
LISTS = [lst.code for lst in V2.lists]
ADULT_LISTS = [lst.code for lst in V2.lists if not lst.for_children]
CHILD_LISTS = [lst.code for lst in V2.lists if lst.for_children]
RANK = {"no_indicators": 0, "incomplete": 1, "possible_victim": 2, "presumed_victim": 3}
PROPERTY = settings(database=None, deadline=None, max_examples=300)

# Issue 17: nine "yes" answers about the person's own situation, "no" everywhere else, gave
# presumed_victim with all three elements under version 1.
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


def all_no(indicator_list="adult_labour", catalogue=V2, **changes):
    answers = dict.fromkeys(catalogue.codes_for(indicator_list), "no")
    answers.update(changes)
    return answers


def yes(*codes, indicator_list="adult_labour", base=None):
    answers = dict(all_no(indicator_list) if base is None else base)
    answers.update(dict.fromkeys(codes, "yes"))
    return answers


def run(answers, indicator_list="adult_labour"):
    return evaluate(answers, catalogue=V2, indicator_list=indicator_list)


def reasons_of(result, code):
    return [dict(r.params) for r in result.reasons if r.code == code]


# --- abuse of vulnerability, and exploitation alone ----------------------------------------


def test_the_over_flagging_case_of_issue_17_gives_no_indicators_with_notes():
    before = evaluate(
        dict(dict.fromkeys(V1.codes, "no"), **dict.fromkeys(HARDSHIP, "yes")), catalogue=V1
    )
    assert before.trafficking == "presumed_victim"  # version 1, kept for its screenings

    result = run(yes(*HARDSHIP))
    assert result.trafficking == "no_indicators"
    assert result.risk_level == "low" and not result.flagged
    assert result.forced_labour is False and result.debt_coercion is False
    assert dict(result.elements) == {"recruitment": False, "exploitation": True, "coercion": False}
    # The dimensions are still counted and shown; they just do not make elements on their own.
    assert result.dimensions["vulnerability_recruitment"].positive
    assert result.dimensions["vulnerability_destination"].positive
    assert reasons_of(result, "vulnerability_not_sufficient") == [
        {"dimension": "vulnerability_recruitment", "element": "recruitment"},
        {"dimension": "vulnerability_destination", "element": "coercion"},
    ]
    assert reasons_of(result, "exploitation_without_means") == [{}]
    assert reasons_of(result, "result") == [{"result": "no_indicators", "grounds": ("notes",)}]
    sentences = render_reasons(result, "en", catalogue=V2)
    assert sentences[0] == (
        "Result: no indicators of trafficking or forced labour were found at this interview; "
        "see the notes below. This does not clear the person."
    )
    assert any("does not establish element A (recruitment)" in s for s in sentences)
    assert any("does not establish element C (coercion)" in s for s in sentences)
    assert any(s.startswith("Exploitative conditions of work alone") for s in sentences)


@pytest.mark.parametrize("indicator_list", ADULT_LISTS)
def test_the_over_flagging_case_flags_no_adult_in_any_list(indicator_list):
    result = run(yes(*HARDSHIP, indicator_list=indicator_list), indicator_list)
    assert result.trafficking == "no_indicators"


@pytest.mark.parametrize(
    "means", ["dr_wages", "dr_education", "cr_threat_inform", "cr_withholding_money"]
)
def test_abuse_of_vulnerability_at_recruitment_counts_with_any_deception_or_coercion(means):
    vulnerability = ("vr_economic", "vr_family_situation", "vr_authorities_status")
    alone = run(yes(*vulnerability))
    assert alone.elements["recruitment"] is False
    with_means = run(yes(*vulnerability, means))
    assert with_means.elements["recruitment"] is True
    assert reasons_of(with_means, "element_held") == [
        {"element": "recruitment", "dimensions": ("vulnerability_recruitment",)}
    ]
    assert reasons_of(with_means, "vulnerability_not_sufficient") == []
    assert with_means.trafficking == "possible_victim"


def test_abuse_of_vulnerability_at_destination_counts_with_coercion_at_destination():
    vulnerability = ("vd_economic", "vd_family_situation", "vd_authorities_status")
    assert run(yes(*vulnerability)).elements["coercion"] is False
    # A coercion answer of another stage does not help: it must be at destination.
    assert run(yes(*vulnerability, "cr_threat_inform")).elements["coercion"] is False
    result = run(yes(*vulnerability, "cd_threat_worse_conditions"))
    assert result.elements["coercion"] is True
    assert reasons_of(result, "element_held") == [
        {"element": "coercion", "dimensions": ("vulnerability_destination",)}
    ]


def test_deception_and_coercion_dimensions_still_make_their_elements_alone():
    assert run(yes("dr_job_nature", "dr_wages")).elements["recruitment"] is True
    assert run(
        yes("cd_threat_violence", "cd_threat_worse_conditions", "cd_threat_inform")
    ).elements["coercion"]


def test_exploitation_alone_does_not_flag_an_adult_but_does_flag_a_child():
    codes = ("ex_living_conditions", "ex_labour_law", "ex_social_protection")
    adult = run(yes(*codes))
    assert adult.elements["exploitation"] is True
    assert adult.trafficking == "no_indicators"
    assert reasons_of(adult, "exploitation_without_means") == [{}]
    child = run(yes(*codes, indicator_list="child_labour"), "child_labour")
    assert child.trafficking == "possible_victim"
    assert reasons_of(child, "result")[0]["grounds"] == ("exploitation",)
    assert reasons_of(child, "exploitation_without_means") == []


def test_exploitation_with_a_flag_of_its_own_still_flags_an_adult():
    # The strong indicator flags; exploitation is named with it.
    result = run(yes("ex_excessive_hours", "ex_hazardous"))
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "result")[0]["grounds"] == ("exploitation", "strong_indicator")
    # Low pay (involuntariness) with a penalty anywhere is forced labour.
    forced = run(
        yes("ex_low_no_salary", "ex_labour_law", "ex_social_protection", "cd_threat_inform")
    )
    assert forced.forced_labour is True and forced.trafficking == "possible_victim"


def test_exploitation_alone_with_core_questions_unknown_is_incomplete_with_the_note():
    result = run({"ex_living_conditions": "yes", "ex_labour_law": "yes", "ex_hazardous": "yes"})
    assert result.trafficking == "incomplete"
    assert reasons_of(result, "exploitation_without_means") == [{}]


# --- children: no means needed -------------------------------------------------------------

A_AND_B = (
    "dr_job_nature",
    "dr_wages",
    "ex_living_conditions",
    "ex_labour_law",
    "ex_social_protection",
)


@pytest.mark.parametrize("indicator_list", CHILD_LISTS)
def test_a_child_is_a_presumed_victim_on_recruitment_and_exploitation_without_means(indicator_list):
    result = run(yes(*A_AND_B, indicator_list=indicator_list), indicator_list)
    assert dict(result.elements) == {"recruitment": True, "exploitation": True, "coercion": False}
    assert result.trafficking == "presumed_victim"
    assert reasons_of(result, "child_no_means") == [{}]
    assert render_reasons(result, "en", catalogue=V2)[0] == (
        "Result: presumed victim of trafficking; the person is a child, and the recruitment "
        "and exploitation elements hold."
    )
    assert any(
        "Palermo Protocol art. 3(c)" in s for s in render_reasons(result, "en", catalogue=V2)
    )


@pytest.mark.parametrize("indicator_list", ADULT_LISTS)
def test_an_adult_with_the_same_answers_is_only_possible(indicator_list):
    result = run(yes(*A_AND_B, indicator_list=indicator_list), indicator_list)
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "child_no_means") == []


def test_a_child_with_all_three_elements_reads_as_the_usual_presumed_victim():
    result = run(
        yes(*A_AND_B, "cd_documents", "cd_violence", indicator_list="child_labour"), "child_labour"
    )
    assert result.trafficking == "presumed_victim"
    assert render_reasons(result, "en", catalogue=V2)[0].endswith("elements all hold.")


def test_the_child_lists_count_hazardous_work_and_commercial_sex_as_strong():
    adult = run(yes("ex_hazardous"))
    child = run(yes("ex_hazardous", indicator_list="child_labour"), "child_labour")
    assert adult.trafficking == "no_indicators"
    assert child.trafficking == "possible_victim"
    assert reasons_of(child, "strong_indicator") == [{"indicators": ("ex_hazardous",)}]
    sexual = run(yes("ex_child_commercial_sex", indicator_list="child_sexual"), "child_sexual")
    assert sexual.trafficking == "possible_victim"


# --- free to leave, documents, violence ----------------------------------------------------


def test_not_free_to_leave_alone_flags_and_with_a_penalty_is_forced_labour():
    alone = run(yes("cd_not_free_to_leave"))
    assert alone.trafficking == "possible_victim"
    assert reasons_of(alone, "strong_indicator") == [{"indicators": ("cd_not_free_to_leave",)}]
    forced = run(yes("cd_not_free_to_leave", "cd_threat_denunciation"))
    assert forced.forced_labour is True
    assert reasons_of(forced, "forced_labour") == [
        {"involuntariness": ("cd_not_free_to_leave",), "penalty": ("cd_threat_denunciation",)}
    ]


def test_not_asking_whether_the_person_is_free_to_leave_leaves_the_interview_incomplete():
    result = run(all_no(cd_not_free_to_leave="unknown"))
    assert result.trafficking == "incomplete"
    assert result.missing_core == ("cd_not_free_to_leave",)
    assert run(all_no()).trafficking == "no_indicators"


def test_documents_retained_by_the_employer_are_a_strong_penalty_indicator():
    result = run(yes("cd_documents"))
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "strong_indicator") == [{"indicators": ("cd_documents",)}]
    assert (
        "Retention of identity or travel documents"
        in render_reasons(result, "en", catalogue=V2)[-1]
    )
    assert run(yes("cd_documents", "cd_not_free_to_leave")).forced_labour is True


def test_sexual_violence_at_destination_is_named_in_the_reasons():
    result = run(yes("cd_violence"))
    assert result.trafficking == "possible_victim"
    assert (
        "Physical or sexual violence against the person"
        in render_reasons(result, "en", catalogue=V2)[-1]
    )


# --- roles and debt ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("involuntary", "penalty"),
    [("ex_low_no_salary", "cd_threat_denunciation"), ("dr_wages", "debt_wages_withheld")],
)
def test_the_corrected_roles_make_forced_labour(involuntary, penalty):
    result = run(yes(involuntary, penalty, base=all_no(debt_owed="yes")))
    assert result.forced_labour is True
    v1 = evaluate(
        dict(
            dict.fromkeys(V1.codes, "no"), debt_owed="yes", **{involuntary: "yes", penalty: "yes"}
        ),
        catalogue=V1,
    )
    assert v1.forced_labour is False


@pytest.mark.parametrize(
    "aggravating",
    [
        "debt_inflated",
        "debt_wages_withheld",
        "debt_cannot_leave",
        "debt_threats",
        "debt_family_pledged",
    ],
)
@pytest.mark.parametrize("owed", ["unknown", "no", None])
def test_a_yes_to_another_debt_question_means_a_debt_is_owed(aggravating, owed):
    answers = all_no(**{aggravating: "yes"})
    if owed is None:
        del answers["debt_owed"]
    else:
        answers["debt_owed"] = owed
    result = run(answers)
    assert result.debt_coercion is True
    assert result.trafficking == "possible_victim"
    assert "debt_owed" not in result.missing_core
    assert reasons_of(result, "debt_owed_inferred") == [{"indicators": (aggravating,)}]
    assert {"path": "debt", "indicators": ("debt_owed", aggravating)} in reasons_of(
        result, "debt_coercion"
    )
    sentence = render_reasons(result, "en", catalogue=V2)[2]
    assert sentence.startswith("A debt is counted as owed: the answers about the debt")


def test_a_debt_answered_yes_is_not_inferred_and_a_debt_alone_is_not_coercion():
    result = run(yes("debt_owed", "debt_inflated"))
    assert reasons_of(result, "debt_owed_inferred") == []
    assert result.debt_coercion is True
    alone = run(yes("debt_owed"))
    assert alone.debt_coercion is False and alone.trafficking == "no_indicators"


def test_the_stored_answers_are_not_changed_by_the_inference():
    answers = all_no(debt_owed="unknown", debt_threats="yes")
    run(answers)
    assert answers["debt_owed"] == "unknown"


# --- lists in validation -------------------------------------------------------------------


def test_an_indicator_of_another_list_is_refused_with_the_list_named():
    with pytest.raises(InvalidAnswers) as caught:
        run({"ex_child_commercial_sex": "yes", "dr_wages": "no"}, "adult_labour")
    assert list(caught.value.errors) == ["ex_child_commercial_sex"]
    assert caught.value.errors["ex_child_commercial_sex"] == [
        "“ex_child_commercial_sex” is not asked in the questions for Adults: labour exploitation."
    ]
    with override("ru"), pytest.raises(InvalidAnswers) as caught:
        run({"ex_begging_quota": "yes"}, "adult_sexual")
    assert "Взрослые: сексуальная эксплуатация" in caught.value.errors["ex_begging_quota"][0]


def test_an_unknown_list_is_a_catalogue_error_and_version_1_takes_no_list():
    with pytest.raises(CatalogueError):
        run({}, "martians")
    with pytest.raises(CatalogueError):
        evaluate({}, catalogue=V1, indicator_list="adult_labour")
    assert evaluate({}, catalogue=V2).reasons[1] == Reason(
        "indicator_list", {"list": "adult_labour"}
    )


# --- the patterns of the tests and of the demo ---------------------------------------------


@pytest.mark.parametrize("indicator_list", LISTS)
def test_the_shared_test_patterns_give_the_same_kinds_of_result_in_every_list(indicator_list):
    kinds = [
        run(answers, indicator_list).trafficking
        for answers in (
            patterns.PRESUMED,
            patterns.POSSIBLE,
            patterns.NO_INDICATORS,
            patterns.INCOMPLETE,
        )
    ]
    assert kinds == ["presumed_victim", "possible_victim", "no_indicators", "incomplete"]


@pytest.mark.parametrize("indicator_list", LISTS)
def test_the_demo_patterns_give_the_same_kinds_of_result_in_every_list(indicator_list):
    kinds = [run(answers, indicator_list).trafficking for answers, _debt in demo.PATTERNS]
    assert kinds == [
        "presumed_victim",
        "possible_victim",
        "no_indicators",
        "incomplete",
        "possible_victim",
    ]


# --- an oracle written from the data file --------------------------------------------------

DATA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "apps/screening/catalogue/delphi-2009+debt-2.json"
    ).read_text(encoding="utf-8")
)
MINIMAL_POSITIVE = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)]
AGGRAVATING = {
    "debt_inflated",
    "debt_wages_withheld",
    "debt_cannot_leave",
    "debt_threats",
    "debt_family_pledged",
}


def oracle(answers, indicator_list):
    """docs/screening.md's rule set 2, from the JSON file, without the engine's helpers."""
    rows = [r for r in DATA["indicators"] if indicator_list in r.get("lists", [indicator_list])]
    said = {code for code, value in answers.items() if value == "yes"}
    if said & AGGRAVATING:
        said.add("debt_owed")
    chosen = [r for r in rows if r["code"] in said]

    def strength(r):
        return r.get("strength_in", {}).get(indicator_list, r["strength"])

    def positive(dimension):
        counts = [
            sum(1 for r in chosen if r["dimension"] == dimension and strength(r) == k)
            for k in ("strong", "medium", "weak")
        ]
        return any(
            all(c >= p for c, p in zip(counts, pattern, strict=True))
            for pattern in MINIMAL_POSITIVE
        )

    def any_yes(*dimensions):
        return any(r["dimension"] in dimensions for r in chosen)

    child = indicator_list.startswith("child_")
    a = (
        positive("deceptive_recruitment")
        or positive("coercive_recruitment")
        or (
            positive("vulnerability_recruitment")
            and any_yes("deceptive_recruitment", "coercive_recruitment")
        )
    )
    b = positive("exploitative_conditions")
    c = positive("coercion_destination") or (
        positive("vulnerability_destination") and any_yes("coercion_destination")
    )
    strong = any(strength(r) == "strong" for r in chosen)
    forced = any(r["role"] == "I" for r in chosen) and any(r["role"] == "P" for r in chosen)
    debt = bool(said & {"cr_debt_bondage", "cd_debt_bondage"}) or bool(said & AGGRAVATING)
    if a and b and (c or child):
        return "presumed_victim"
    if a or c or (b and child) or strong or forced or debt:
        return "possible_victim"
    core = [r["code"] for r in rows if r["core"]]
    if any(answers.get(code, "unknown") == "unknown" and code not in said for code in core):
        return "incomplete"
    return "no_indicators"


@st.composite
def listed_answers(draw):
    indicator_list = draw(st.sampled_from(LISTS))
    codes = list(V2.codes_for(indicator_list))
    dimensions = [d.code for d in V2.dimensions]
    chosen = draw(st.sets(st.sampled_from(dimensions), max_size=4))
    yes_codes = set(draw(st.sets(st.sampled_from(codes), max_size=3)))
    for dimension in sorted(chosen):
        yes_codes |= draw(
            st.sets(
                st.sampled_from([i.code for i in V2.indicators_in(dimension, indicator_list)]),
                max_size=4,
            )
        )
    rest = draw(st.sampled_from(["no", "unknown", "missing", "mixed"]))
    answers = {}
    for code in codes:
        if code in yes_codes:
            answers[code] = "yes"
            continue
        value = rest if rest != "mixed" else draw(st.sampled_from(["no", "unknown", "missing"]))
        if value != "missing":
            answers[code] = value
    return indicator_list, answers


@PROPERTY
@given(listed_answers())
def test_the_engine_agrees_with_the_oracle_of_rule_set_2(case):
    indicator_list, answers = case
    assert run(answers, indicator_list).trafficking == oracle(answers, indicator_list)


def test_the_strategy_reaches_every_result_in_version_2():
    seen = set()

    @PROPERTY
    @given(listed_answers())
    def collect(case):
        seen.add(run(case[1], case[0]).trafficking)

    collect()
    assert seen == set(RANK)


@PROPERTY
@given(listed_answers(), st.data())
def test_flipping_no_to_yes_never_lowers_a_version_2_result(case, data):
    indicator_list, answers = case
    code = data.draw(st.sampled_from(list(V2.codes_for(indicator_list))))
    before = run({**answers, code: "no"}, indicator_list)
    after = run({**answers, code: "yes"}, indicator_list)
    assert RANK[after.trafficking] >= RANK[before.trafficking]
    if not after.flagged:
        assert after.trafficking == before.trafficking
    assert set(after.missing_core) <= set(before.missing_core)
    assert after.forced_labour >= before.forced_labour
    assert after.debt_coercion >= before.debt_coercion
    assert all(after.elements[e] >= before.elements[e] for e in before.elements)


@PROPERTY
@given(listed_answers())
def test_a_version_2_result_round_trips_through_json(case):
    result = run(case[1], case[0])
    restored = ScreeningResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert restored == result
    for lang in ("en", "ru", "kk"):
        assert render_reasons(restored, lang, catalogue=V2) == render_reasons(
            result, lang, catalogue=V2
        )


# --- the new reasons in Russian and Kazakh -------------------------------------------------


def _every_new_reason():
    return [
        run(yes(*HARDSHIP)),
        run(all_no(debt_owed="unknown", debt_threats="yes")),
        run(yes(*A_AND_B, indicator_list="child_sexual"), "child_sexual"),
        run(
            yes(
                "ex_begging_quota",
                "ex_begging_staged",
                "ex_labour_law",
                indicator_list="adult_begging",
            ),
            "adult_begging",
        ),
    ]


def test_the_examples_use_every_reason_of_rule_set_2():
    codes = {r.code for result in _every_new_reason() for r in result.reasons}
    assert codes >= {
        "indicator_list",
        "debt_owed_inferred",
        "vulnerability_not_sufficient",
        "exploitation_without_means",
        "child_no_means",
    }


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_new_reasons_are_rendered_in_russian_and_kazakh(lang):
    english_words = re.compile(r"\b[A-Za-z]{3,}\b")
    for result in _every_new_reason():
        english = render_reasons(result, "en", catalogue=V2)
        sentences = render_reasons(result, lang, catalogue=V2)
        assert len(sentences) == len(english) == len(result.reasons)
        for sentence, original in zip(sentences, english, strict=True):
            assert re.search(r"[\u0400-\u04ff]", sentence), sentence
            assert not english_words.search(sentence), sentence
            assert sentence != original


def test_the_list_reason_names_the_list_in_the_readers_language():
    result = run({}, "child_begging")
    assert render_reasons(result, "en", catalogue=V2)[1] == (
        "Questions asked: Children: forced begging (chosen from the person's age and the case's sector)."
    )
    assert "Дети: принуждение к попрошайничеству" in render_reasons(result, "ru", catalogue=V2)[1]
    assert "Балалар: қайыр сұрауға мәжбүрлеу" in render_reasons(result, "kk", catalogue=V2)[1]
