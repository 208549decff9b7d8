"""The screening engine against the rules of screening.md, with catalogue version 1.

A screening stored with version 1 is evaluated by rule set 1 for ever, so these tests pin the
catalogue to version 1; the rules of version 2 are tested in test_engine_v2.py.
"""

import ast
import itertools
import json
import re
from pathlib import Path

import pytest
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.screening import engine
from apps.screening.catalogue import VERSION_1, get_catalogue
from apps.screening.engine import (
    NON_FIELD_ERRORS,
    InvalidAnswers,
    Reason,
    ScreeningResult,
    positivity_clause,
    risk_level,
    validate_answers,
)
from tests.screening.test_catalogue import SPEC_CORE, SPEC_INDICATORS

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUE = get_catalogue(VERSION_1)


def evaluate(answers):
    """The engine on catalogue version 1."""
    return engine.evaluate(answers, catalogue=CATALOGUE)


def render_reasons(result, language=None):
    return engine.render_reasons(result, language, catalogue=CATALOGUE)


CODES = [code for code, *_ in SPEC_INDICATORS]
SIX = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "vulnerability_recruitment",
    "exploitative_conditions",
    "coercion_destination",
    "vulnerability_destination",
]
DIMENSION_CODES = [*SIX, "debt"]
CODES_IN = {d: [c for c, dim, *_ in SPEC_INDICATORS if dim == d] for d in DIMENSION_CODES}
# The ordering proved below: a no -> yes flip never moves a result down it.
RANK = {"no_indicators": 0, "incomplete": 1, "possible_victim": 2, "presumed_victim": 3}
PROPERTY = settings(database=None, deadline=None, max_examples=300)


def all_no(**changes):
    """Every indicator answered `no`, then `changes` (code=answer) applied."""
    answers = dict.fromkeys(CODES, "no")
    answers.update(changes)
    return answers


def yes(*codes, base=None):
    """`base` (default: all no) with `codes` answered yes."""
    answers = dict(all_no() if base is None else base)
    answers.update(dict.fromkeys(codes, "yes"))
    return answers


def reasons_of(result, code):
    return [dict(r.params) for r in result.reasons if r.code == code]


# --- The dimension rule --------------------------------------------------------------------

# The rule restated as its minimal positive patterns: a dimension is positive when its counts
# reach at least one of these in every strength. Written apart from the engine's clause chain.
MINIMAL_POSITIVE = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)]


def oracle_positive(s, m, w):
    return any(s >= ps and m >= pm and w >= pw for ps, pm, pw in MINIMAL_POSITIVE)


@pytest.mark.parametrize(("s", "m", "w"), list(itertools.product(range(4), repeat=3)))
def test_dimension_rule_matches_the_oracle_for_every_count_up_to_three(s, m, w):
    assert (positivity_clause(strong=s, medium=m, weak=w) is not None) == oracle_positive(s, m, w)


@pytest.mark.parametrize(
    ("s", "m", "w", "positive", "clause"),
    [
        (2, 0, 0, True, "two_strong"),
        (1, 1, 0, True, "strong_and_medium_or_weak"),
        (1, 0, 1, True, "strong_and_medium_or_weak"),
        (1, 0, 0, False, None),
        (0, 3, 0, True, "three_medium"),
        (0, 2, 1, True, "two_medium_and_weak"),
        (0, 2, 0, False, None),
        (0, 1, 2, False, None),
        (0, 0, 3, False, None),
        (0, 1, 1, False, None),
        (0, 1, 3, False, None),
        (0, 0, 0, False, None),
    ],
    ids=[
        "2S-positive",
        "1S+1M-positive",
        "1S+1W-positive",
        "1S-alone-negative",
        "3M-positive",
        "2M+1W-positive",
        "2M-alone-negative",
        "1M+2W-negative",
        "3W-negative",
        "1M+1W-negative",
        "1M+3W-negative",
        "nothing-negative",
    ],
)
def test_dimension_rule_named_cases(s, m, w, positive, clause):
    assert positivity_clause(strong=s, medium=m, weak=w) == clause
    assert (clause is not None) is positive


def _feasible_counts():
    for dimension in SIX:
        rows = [(c, st_) for c, d, st_, _ in SPEC_INDICATORS if d == dimension]
        available = {k: [c for c, st_ in rows if st_ == k] for k in "SMW"}
        for s, m, w in itertools.product(range(4), repeat=3):
            if s <= len(available["S"]) and m <= len(available["M"]) and w <= len(available["W"]):
                codes = available["S"][:s] + available["M"][:m] + available["W"][:w]
                yield pytest.param(dimension, s, m, w, codes, id=f"{dimension}-{s}S{m}M{w}W")


@pytest.mark.parametrize(("dimension", "s", "m", "w", "codes"), list(_feasible_counts()))
def test_dimension_tally_through_evaluate(dimension, s, m, w, codes):
    result = evaluate(yes(*codes))
    tally = result.dimensions[dimension]
    assert (tally.strong, tally.medium, tally.weak) == (s, m, w)
    assert tally.positive is oracle_positive(s, m, w)
    others = [d for d in SIX if d != dimension]
    assert not any(result.dimensions[d].positive for d in others)
    positive = reasons_of(result, "dimension_positive")
    if tally.positive:
        assert positive == [
            {
                "dimension": dimension,
                "clause": positivity_clause(strong=s, medium=m, weak=w),
                "strong": tuple(codes[:s]),
                "medium": tuple(codes[s : s + m]),
                "weak": tuple(codes[s + m :]),
            }
        ]
    else:
        assert positive == []


def test_debt_is_not_a_dimension_of_the_result():
    result = evaluate(yes(*[c for c in CODES if c.startswith("debt_")]))
    assert list(result.dimensions) == SIX
    assert not any(result.elements.values())
    assert result.trafficking == "possible_victim"


# --- Elements ------------------------------------------------------------------------------

POSITIVE_SETS = {
    "deceptive_recruitment": ("dr_job_nature", "dr_wages"),
    "coercive_recruitment": ("cr_violence", "cr_documents"),
    "vulnerability_recruitment": ("vr_economic", "vr_information", "vr_dependency"),
    "exploitative_conditions": ("ex_excessive_hours", "ex_hazardous"),
    "coercion_destination": ("cd_documents", "cd_violence"),
    "vulnerability_destination": ("vd_dependency", "vd_economic", "vd_past_difficulties"),
}
ELEMENT_OF = {
    "deceptive_recruitment": "recruitment",
    "coercive_recruitment": "recruitment",
    "vulnerability_recruitment": "recruitment",
    "exploitative_conditions": "exploitation",
    "coercion_destination": "coercion",
    "vulnerability_destination": "coercion",
}


@pytest.mark.parametrize("dimension", SIX)
def test_each_positive_dimension_makes_its_element_hold(dimension):
    result = evaluate(yes(*POSITIVE_SETS[dimension]))
    assert [d for d in SIX if result.dimensions[d].positive] == [dimension]
    expected = {e: e == ELEMENT_OF[dimension] for e in ("recruitment", "exploitation", "coercion")}
    assert dict(result.elements) == expected
    assert reasons_of(result, "element_held") == [
        {"element": ELEMENT_OF[dimension], "dimensions": (dimension,)}
    ]
    assert result.trafficking == "possible_victim"


def test_element_lists_every_positive_dimension_behind_it():
    codes = POSITIVE_SETS["deceptive_recruitment"] + POSITIVE_SETS["vulnerability_recruitment"]
    result = evaluate(yes(*codes))
    assert reasons_of(result, "element_held") == [
        {
            "element": "recruitment",
            "dimensions": ("deceptive_recruitment", "vulnerability_recruitment"),
        }
    ]


# --- The result, rule by rule ----------------------------------------------------------------


def test_all_three_elements_give_presumed_victim_even_with_every_core_question_unknown():
    codes = (
        POSITIVE_SETS["vulnerability_recruitment"]
        + ("ex_living_conditions", "ex_labour_law", "ex_social_protection")
        + POSITIVE_SETS["vulnerability_destination"]
    )
    assert not set(codes) & SPEC_CORE
    result = evaluate(dict.fromkeys(codes, "yes"))
    assert result.trafficking == "presumed_victim"
    assert result.risk_level == "high"
    assert set(result.missing_core) == SPEC_CORE
    assert result.reasons[0] == Reason(
        "result",
        {"result": "presumed_victim", "grounds": ["recruitment", "exploitation", "coercion"]},
    )
    assert reasons_of(result, "core_unknown") == [{"indicators": tuple(result.missing_core)}]


def test_presumed_victim_result_reason_names_the_three_elements():
    result = evaluate(
        yes(
            *POSITIVE_SETS["deceptive_recruitment"],
            *POSITIVE_SETS["exploitative_conditions"],
            *POSITIVE_SETS["coercion_destination"],
        )
    )
    assert result.trafficking == "presumed_victim"
    assert reasons_of(result, "result")[0]["grounds"][:3] == (
        "recruitment",
        "exploitation",
        "coercion",
    )


def test_two_elements_without_the_third_are_only_possible():
    result = evaluate(
        yes(*POSITIVE_SETS["vulnerability_recruitment"], *POSITIVE_SETS["exploitative_conditions"])
    )
    assert dict(result.elements) == {"recruitment": True, "exploitation": True, "coercion": False}
    assert result.trafficking == "possible_victim"


def test_one_element_alone_is_possible_victim():
    result = evaluate(yes(*POSITIVE_SETS["vulnerability_recruitment"]))
    assert result.trafficking == "possible_victim"
    assert result.risk_level == "medium"
    assert reasons_of(result, "result") == [
        {"result": "possible_victim", "grounds": ("recruitment",)}
    ]


@pytest.mark.parametrize(
    "code", [c for c, _, s, _ in SPEC_INDICATORS if s == "S"], ids=lambda code: code
)
def test_one_strong_yes_alone_is_possible_victim(code):
    result = evaluate(yes(code))
    assert not any(result.elements.values())
    assert result.trafficking == "possible_victim"
    assert "strong_indicator" in reasons_of(result, "result")[0]["grounds"]
    assert reasons_of(result, "strong_indicator") == [{"indicators": (code,)}]


def test_one_medium_yes_alone_is_not_flagged():
    result = evaluate(yes("vd_economic"))
    assert result.trafficking == "no_indicators"
    assert reasons_of(result, "strong_indicator") == []


@pytest.mark.parametrize(
    ("involuntary", "penalty"),
    [
        ("dr_wages", "cd_threat_denunciation"),
        ("cr_abduction_sale", "ex_wage_manipulation"),
        ("cd_forced_tasks", "cd_threat_inform"),
        ("debt_cannot_leave", "debt_threats"),
        ("debt_cannot_leave", "cd_withholding_wages"),
        ("dr_housing", "debt_threats"),
    ],
)
def test_one_involuntariness_and_one_penalty_yes_make_forced_labour(involuntary, penalty):
    result = evaluate(yes(involuntary, penalty))
    assert result.forced_labour is True
    assert not any(result.elements.values())
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "forced_labour") == [
        {"involuntariness": (involuntary,), "penalty": (penalty,)}
    ]
    assert reasons_of(result, "result")[0]["grounds"] == ("forced_labour",)


@pytest.mark.parametrize(
    "codes",
    [
        ("dr_wages", "dr_housing"),
        ("cd_threat_denunciation", "cd_withholding_wages"),
        ("debt_cannot_leave", "ex_low_no_salary"),
        ("debt_threats", "vd_economic"),
    ],
)
def test_involuntariness_alone_or_penalty_alone_is_not_forced_labour(codes):
    result = evaluate(yes(*codes))
    assert result.forced_labour is False
    assert result.trafficking == "no_indicators"


@pytest.mark.parametrize("code", ["cr_debt_bondage", "cd_debt_bondage"])
def test_debt_bondage_yes_is_debt_coercion(code):
    result = evaluate(yes(code))
    assert result.debt_coercion is True
    assert result.forced_labour is False
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "debt_coercion") == [{"path": "bondage", "indicators": (code,)}]


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
def test_debt_owed_with_any_aggravating_debt_code_is_debt_coercion(aggravating):
    result = evaluate(yes("debt_owed", aggravating))
    assert result.debt_coercion is True
    assert result.forced_labour is False
    assert result.trafficking == "possible_victim"
    assert reasons_of(result, "result")[0]["grounds"] == ("debt_coercion",)
    assert reasons_of(result, "debt_coercion") == [
        {"path": "debt", "indicators": ("debt_owed", aggravating)}
    ]
    without_debt = evaluate(yes(aggravating))
    assert without_debt.debt_coercion is False
    assert without_debt.trafficking == "no_indicators"


def test_a_debt_alone_is_not_debt_coercion():
    result = evaluate(yes("debt_owed"))
    assert result.debt_coercion is False
    assert result.trafficking == "no_indicators"


def test_both_debt_coercion_paths_are_each_explained():
    result = evaluate(yes("cr_debt_bondage", "debt_owed", "debt_inflated", "debt_threats"))
    assert [r["path"] for r in reasons_of(result, "debt_coercion")] == ["bondage", "debt"]


@pytest.mark.parametrize("core", sorted(SPEC_CORE))
def test_a_core_question_unknown_with_nothing_flagged_is_incomplete(core):
    for answers in (all_no(**{core: "unknown"}), {c: a for c, a in all_no().items() if c != core}):
        result = evaluate(answers)
        assert result.trafficking == "incomplete"
        assert result.risk_level == "unknown"
        assert result.missing_core == (core,)
        assert reasons_of(result, "core_unknown") == [{"indicators": (core,)}]


def test_empty_answers_are_incomplete_with_every_core_question_missing():
    result = evaluate({})
    assert result.trafficking == "incomplete"
    assert set(result.missing_core) == SPEC_CORE
    assert list(result.missing_core) == [c for c in CODES if c in SPEC_CORE]


def test_a_flag_wins_over_incompleteness():
    result = evaluate({"cd_violence": "yes"})
    assert result.trafficking == "possible_victim"
    assert len(result.missing_core) == len(SPEC_CORE) - 1


def test_every_core_question_answered_no_gives_no_indicators():
    result = evaluate(dict.fromkeys(SPEC_CORE, "no"))
    assert result.trafficking == "no_indicators"
    assert result.risk_level == "low"
    assert result.missing_core == ()
    assert not result.flagged
    assert result.reasons == (Reason("result", {"result": "no_indicators", "grounds": []}),)


def test_non_core_unknowns_do_not_make_a_screening_incomplete():
    answers = all_no(**dict.fromkeys([c for c in CODES if c not in SPEC_CORE], "unknown"))
    assert evaluate(answers).trafficking == "no_indicators"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("presumed_victim", "high"),
        ("possible_victim", "medium"),
        ("incomplete", "unknown"),
        ("no_indicators", "low"),
        (None, "not_screened"),
    ],
)
def test_risk_level(value, expected):
    assert risk_level(value) == expected


def test_risk_level_of_a_result_and_of_nonsense():
    assert risk_level(evaluate(yes("cd_violence"))) == "medium"
    with pytest.raises(ValueError):
        risk_level("cleared")


# --- Validation ----------------------------------------------------------------------------


def test_missing_answers_are_unknown():
    assert validate_answers({"cd_documents": "yes"}, catalogue=CATALOGUE) == {
        code: ("yes" if code == "cd_documents" else "unknown") for code in CODES
    }


@pytest.mark.parametrize("value", ["Yes", "YES", "y", "", "true", None, True, 1, ["yes"]])
def test_a_value_other_than_yes_no_unknown_is_refused(value):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate({"cd_documents": value, "dr_wages": "yes"})
    assert list(caught.value.errors) == ["cd_documents"]
    assert isinstance(caught.value, ValueError)
    [message] = caught.value.errors["cd_documents"]
    assert "yes, no or unknown" in message


def test_every_unknown_code_is_reported_at_once():
    with pytest.raises(InvalidAnswers) as caught:
        evaluate({"cd_documentz": "yes", "debt": "no", "cd_violence": "maybe", "dr_wages": "no"})
    assert set(caught.value.errors) == {"cd_documentz", "debt", "cd_violence"}
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in caught.value.errors.values()
    )
    assert "delphi-2009-labour+debt-1" in caught.value.errors["debt"][0]


@pytest.mark.parametrize("answers", [None, ["cd_documents"], "yes", 3])
def test_answers_that_are_not_a_mapping_are_refused(answers):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(answers)
    assert list(caught.value.errors) == [NON_FIELD_ERRORS]


def test_a_long_bad_value_is_not_echoed_whole():
    with pytest.raises(InvalidAnswers) as caught:
        evaluate({"cd_documents": "x" * 10_000})
    assert len(caught.value.errors["cd_documents"][0]) < 200


# --- Stored form ---------------------------------------------------------------------------


def test_to_dict_has_the_api_shape():
    result = evaluate(yes("cd_documents", "cd_debt_bondage", "dr_wages", base={"debt_owed": "yes"}))
    data = result.to_dict()
    assert list(data) == [
        "trafficking",
        "forced_labour",
        "debt_coercion",
        "elements",
        "dimensions",
        "missing_core",
        "risk_level",
        "reasons",
    ]
    assert list(data["elements"]) == ["recruitment", "exploitation", "coercion"]
    assert list(data["dimensions"]) == SIX
    assert data["dimensions"]["coercion_destination"] == {
        "strong": 2,
        "medium": 0,
        "weak": 0,
        "positive": True,
    }
    assert all(set(r) == {"code", "params"} for r in data["reasons"])
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("reasons"),
        lambda d: d.update(extra=1),
        lambda d: d.update(trafficking="cleared"),
        lambda d: d.update(risk_level="high"),
        lambda d: d.update(forced_labour="yes"),
        lambda d: d["elements"].pop("coercion"),
        lambda d: d["elements"].update(coercion="yes"),
        lambda d: d["dimensions"]["coercion_destination"].update(positive=1),
        lambda d: d.update(missing_core=[1]),
        lambda d: d["dimensions"].pop("vulnerability_destination"),
        lambda d: d["dimensions"]["coercion_destination"].update(strong=True),
        lambda d: d["dimensions"]["coercion_destination"].update(weak=-1),
        lambda d: d.update(missing_core="cd_documents"),
        lambda d: d["reasons"].append({"code": "gut_feeling", "params": {}}),
        lambda d: d["reasons"].append({"code": "result"}),
        lambda d: d["reasons"].append(
            {"code": "result", "params": {"result": "x", "grounds": {"nested": 1}}}
        ),
        lambda d: d["reasons"].append({"code": "core_unknown", "params": {"codes": []}}),
    ],
)
def test_from_dict_refuses_a_damaged_result(breakage):
    data = evaluate({"cd_documents": "yes"}).to_dict()
    breakage(data)
    with pytest.raises(ValueError):
        ScreeningResult.from_dict(data)


# --- Properties ----------------------------------------------------------------------------


@st.composite
def answer_sets(draw):
    """Answers with a few yes (so that every result occurs), the rest no/unknown/missing."""
    # Yes answers cluster in a few dimensions, as in real interviews; uniform picks would
    # almost never make three dimensions positive at once.
    dimensions = draw(st.sets(st.sampled_from(DIMENSION_CODES), max_size=5))
    yes_codes = set(draw(st.sets(st.sampled_from(CODES), max_size=3)))
    for dimension in sorted(dimensions):
        yes_codes |= draw(st.sets(st.sampled_from(CODES_IN[dimension]), max_size=4))
    rest = draw(st.sampled_from(["no", "unknown", "missing", "mixed"]))
    answers = {}
    for code in CODES:
        if code in yes_codes:
            answers[code] = "yes"
            continue
        value = rest if rest != "mixed" else draw(st.sampled_from(["no", "unknown", "missing"]))
        if value != "missing":
            answers[code] = value
    return answers


def test_the_strategy_reaches_every_result():
    seen = set()

    @PROPERTY
    @given(answer_sets())
    def collect(answers):
        seen.add(evaluate(answers).trafficking)

    collect()
    assert seen == set(RANK)


@PROPERTY
@given(answer_sets(), st.sampled_from(CODES))
def test_flipping_no_to_yes_never_lowers_the_result(answers, code):
    before = evaluate({**answers, code: "no"})
    after = evaluate({**answers, code: "yes"})
    assert RANK[after.trafficking] >= RANK[before.trafficking]
    # Stronger: a no -> yes flip never trades incomplete for no_indicators or back, so the
    # ordering of those two is irrelevant here; unflagged stays exactly what it was.
    if not after.flagged:
        assert after.trafficking == before.trafficking
    assert after.missing_core == before.missing_core
    assert after.forced_labour >= before.forced_labour
    assert after.debt_coercion >= before.debt_coercion
    assert all(after.elements[e] >= before.elements[e] for e in before.elements)
    for d in SIX:
        assert after.dimensions[d].positive >= before.dimensions[d].positive


@PROPERTY
@given(answer_sets(), st.sampled_from(CODES), st.booleans())
def test_flipping_unknown_to_no_only_ever_removes_incompleteness(answers, code, omit):
    unknown = {k: v for k, v in answers.items() if k != code}
    if not omit:
        unknown[code] = "unknown"
    before = evaluate(unknown)
    after = evaluate({**answers, code: "no"})
    assert RANK[after.trafficking] <= RANK[before.trafficking]
    if after.trafficking != before.trafficking:
        assert (before.trafficking, after.trafficking) == ("incomplete", "no_indicators")
        assert after.missing_core == ()
        assert before.missing_core == (code,)
    assert set(after.missing_core) == set(before.missing_core) - {code}


def test_unknown_to_yes_can_take_incomplete_to_no_indicators():
    # Why the ordering above is stated for no -> yes only: answering a core question `yes` that
    # flags nothing on its own completes the interview without raising the result.
    before = evaluate(all_no(dr_wages="unknown"))
    after = evaluate(all_no(dr_wages="yes"))
    assert (before.trafficking, after.trafficking) == ("incomplete", "no_indicators")


@PROPERTY
@given(
    answer_sets(),
    st.text(max_size=50).filter(lambda code: code not in CODES),
    st.sampled_from(["yes", "no", "unknown"]),
)
def test_a_code_outside_the_catalogue_is_refused(answers, code, value):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate({**answers, code: value})
    assert list(caught.value.errors) == [code]


@PROPERTY
@given(
    answer_sets(),
    st.sampled_from(CODES),
    st.one_of(
        st.text().filter(lambda value: value not in ("yes", "no", "unknown")),
        st.none(),
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
    ),
)
def test_a_value_outside_yes_no_unknown_is_refused(answers, code, value):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate({**answers, code: value})
    assert list(caught.value.errors) == [code]


@PROPERTY
@given(answer_sets())
def test_evaluate_is_deterministic(answers):
    first = evaluate(answers)
    again = evaluate(dict(reversed(list(answers.items()))))
    assert first == again
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())


@PROPERTY
@given(answer_sets())
def test_to_dict_and_from_dict_round_trip_through_json(answers):
    result = evaluate(answers)
    stored = json.loads(json.dumps(result.to_dict()))
    restored = ScreeningResult.from_dict(stored)
    assert restored == result
    assert restored.to_dict() == result.to_dict()


def oracle_trafficking(answers):
    """screening.md's result rule, written from the spec table without the engine's helpers."""
    said_yes = {code for code, value in answers.items() if value == "yes"}
    rows = [row for row in SPEC_INDICATORS if row[0] in said_yes]

    def positive(dimension):
        s, m, w = (sum(1 for r in rows if r[1] == dimension and r[2] == k) for k in "SMW")
        return oracle_positive(s, m, w)

    a = any(positive(d) for d in SIX[:3])
    b = positive("exploitative_conditions")
    c = positive("coercion_destination") or positive("vulnerability_destination")
    strong = any(r[2] == "S" for r in rows)
    forced = any(r[3] == "I" for r in rows) and any(r[3] == "P" for r in rows)
    debt = bool(said_yes & {"cr_debt_bondage", "cd_debt_bondage"}) or (
        "debt_owed" in said_yes
        and bool(
            said_yes
            & {
                "debt_inflated",
                "debt_wages_withheld",
                "debt_cannot_leave",
                "debt_threats",
                "debt_family_pledged",
            }
        )
    )
    if a and b and c:
        return "presumed_victim"
    if a or b or c or strong or forced or debt:
        return "possible_victim"
    if any(answers.get(code, "unknown") == "unknown" for code in SPEC_CORE):
        return "incomplete"
    return "no_indicators"


@PROPERTY
@given(answer_sets())
def test_evaluate_agrees_with_the_spec_oracle(answers):
    assert evaluate(answers).trafficking == oracle_trafficking(answers)


# --- Reasons in three languages --------------------------------------------------------------


def _everything():
    """A result whose reasons use every message: all elements, flags, and missing core."""
    return evaluate(
        {
            "dr_education": "yes",
            "dr_conditions": "yes",
            "dr_contract": "yes",
            "dr_job_nature": "yes",
            "ex_excessive_hours": "yes",
            "ex_hazardous": "yes",
            "cd_documents": "yes",
            "cd_debt_bondage": "yes",
            "cd_threat_inform": "yes",
            "vd_dependency": "yes",
            "vd_economic": "yes",
            "vd_past_difficulties": "yes",
            "debt_owed": "yes",
            "debt_threats": "yes",
        }
    )


def _sentences_for_every_result():
    return [
        _everything(),
        evaluate(yes("cd_violence")),
        evaluate({"dr_wages": "no"}),
        evaluate(all_no()),
        evaluate(yes(*POSITIVE_SETS["exploitative_conditions"])),
        evaluate(yes(*POSITIVE_SETS["vulnerability_recruitment"])),
        evaluate(yes("dr_job_nature", "dr_wages", "vr_cultural_beliefs")),
    ]


def test_the_rich_result_uses_every_kind_of_reason():
    result = _everything()
    assert result.trafficking == "presumed_victim"
    assert {r.code for r in result.reasons} == {
        "result",
        "dimension_positive",
        "element_held",
        "strong_indicator",
        "forced_labour",
        "debt_coercion",
        "core_unknown",
    }


def test_reasons_in_english_name_dimensions_and_indicators_by_their_texts():
    result = evaluate(yes("cd_documents", "cd_debt_bondage"))
    sentences = render_reasons(result, "en")
    assert (
        "Coercion at destination is positive: 2 strong indicators (Confiscation of documents; "
        "Debt bondage)."
    ) in sentences
    assert sentences[0].startswith("Result: possible victim")
    assert all(not re.search(r"[\u0400-\u04ff]", s) for s in sentences)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_reasons_are_rendered_in_russian_and_kazakh(lang):
    english_words = re.compile(r"\b[A-Za-z]{3,}\b")
    for result in _sentences_for_every_result():
        english = render_reasons(result, "en")
        sentences = render_reasons(result, lang)
        assert len(sentences) == len(english) == len(result.reasons)
        for sentence, original in zip(sentences, english, strict=True):
            assert sentence.strip()
            assert re.search(r"[\u0400-\u04ff]", sentence), sentence
            assert not english_words.search(sentence), sentence
            assert sentence != original


def test_russian_counts_take_the_right_plural_form():
    def strong_sentence(*codes):
        result = evaluate(yes(*codes))
        [sentence] = [
            s
            for s, r in zip(render_reasons(result, "ru"), result.reasons, strict=True)
            if r.code == "strong_indicator"
        ]
        return sentence

    assert strong_sentence("cd_violence").startswith("1 сильный индикатор ")
    assert strong_sentence("cd_violence", "cd_isolation").startswith("2 сильных индикатора ")
    assert strong_sentence(
        "cd_violence", "cd_isolation", "cd_documents", "cr_violence", "dr_job_nature"
    ).startswith("5 сильных индикаторов ")
    missing = render_reasons(evaluate({}), "ru")[-1]
    assert missing.startswith("Нет ответа на 12 основных вопросов: ")
    one_missing = render_reasons(evaluate(all_no(cd_violence="unknown")), "ru")[-1]
    assert one_missing.startswith("Нет ответа на 1 основной вопрос: ")


def test_kazakh_dimension_sentence_uses_catalogue_names():
    result = evaluate(yes("cd_documents", "cd_debt_bondage"))
    assert (
        "«Межелі жердегі мәжбүрлеу»: нәтиже оң — 2 күшті индикатор (Құжаттарды тартып алу; "
        "Қарыз құлдығы)."
    ) in render_reasons(result, "kk")


def test_reasons_follow_the_active_language_by_default():
    result = _everything()
    with override("kk"):
        assert render_reasons(result) == render_reasons(result, "kk")
    with override("ru"):
        assert render_reasons(result) == render_reasons(result, "ru")
        assert render_reasons(result, "en") == render_reasons(result, "en")
        # `render_reasons(..., "en")` leaves the active language as it found it.
        assert render_reasons(result) == render_reasons(result, "ru")


def test_a_stored_result_renders_the_same_after_a_round_trip():
    result = _everything()
    restored = ScreeningResult.from_dict(json.loads(json.dumps(result.to_dict())))
    for lang in ("en", "ru", "kk"):
        assert render_reasons(restored, lang) == render_reasons(result, lang)


def test_validation_errors_are_translated():
    with override("ru"), pytest.raises(InvalidAnswers) as caught:
        evaluate({"zz": "yes", "cd_documents": "да"})
    assert caught.value.errors["zz"] == [
        "«zz» не является индикатором каталога delphi-2009-labour+debt-1."
    ]
    assert caught.value.errors["cd_documents"][0].startswith("«да» — недопустимый ответ")
    with override("kk"), pytest.raises(InvalidAnswers) as caught:
        evaluate(["cd_documents"])
    assert "объект болуы керек" in caught.value.errors[NON_FIELD_ERRORS][0]


def _engine_msgids():
    """(singular, plural or None) for every gettext/ngettext call in engine.py."""
    source = (ROOT / "apps" / "screening" / "engine.py").read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            found.append((strings[0], strings[1] if node.func.id == "ngettext" else None))
    return found


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_engine_message_is_translated(lang):
    from django.utils import translation

    msgids = _engine_msgids()
    assert len(msgids) >= 20
    with translation.override(lang):
        for singular, plural in msgids:
            if plural is None:
                assert translation.gettext(singular) != singular, singular
            else:
                for n in (1, 2, 5, 21):
                    translated = translation.ngettext(singular, plural, n)
                    assert translated not in (singular, plural), singular
