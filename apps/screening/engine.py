"""The screening engine: a pure, deterministic evaluation of answers (spec: screening.md).

`evaluate` reads nothing but its arguments and the catalogue, so a stored result can always be
recomputed and explained. Reasons are stored as codes with parameters, not sentences, so that
`render_reasons` can show a stored result in whichever language the reader uses.

A catalogue declares the rule set it is evaluated with (docs/screening.md, "Rule set 2"):

* **Rule set 1** (catalogue version 1): screening.md as first written.
* **Rule set 2** (catalogue version 2, issue 17), the same rules except:
  - *Abuse of vulnerability* is an abuse by the recruiter or employer (ILO/EC Operational
    indicators of trafficking in human beings, 2009, "Delphi": "recruitment by abuse of
    vulnerability", "abuse of vulnerability at destination"). A positive vulnerability
    dimension establishes its element only together with at least one `yes` of deception or
    coercion at the same stage (`VULNERABILITY_NEEDS`); on its own it is a note, not an
    element. Hardship is not a means of trafficking; its abuse is (Palermo Protocol art. 3(a)).
  - *Exploitation alone* (element B without A, C, a strong indicator, forced labour or debt
    coercion) does not flag an adult: labour-law violations without deception, coercion or a
    menace of a penalty are not forced labour (ILO Indicators of Forced Labour, 2012; ILO
    Handbook for Labour Inspectors, 2008). The result carries a note instead.
  - *Children*: the indicator list for children is used, and element C (means) is not
    required for a presumed victim: recruitment and exploitation suffice (Palermo Protocol
    art. 3(c)). B alone flags a child.
  - *Debt*: a `yes` to any other debt question presupposes a debt, so `debt_owed` counts as
    `yes` (and as answered) and the inference is stated in the reasons.
  - Strengths are read for the interview's list (`Indicator.strength_in`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from apps.screening.catalogue import (
    INVOLUNTARINESS,
    MEDIUM,
    PENALTY,
    STRENGTHS,
    STRONG,
    Catalogue,
    CatalogueError,
    get_catalogue,
    normalize_language,
)

YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS = (YES, NO, UNKNOWN)

PRESUMED_VICTIM = "presumed_victim"
POSSIBLE_VICTIM = "possible_victim"
INCOMPLETE = "incomplete"
NO_INDICATORS = "no_indicators"
RESULTS = (PRESUMED_VICTIM, POSSIBLE_VICTIM, INCOMPLETE, NO_INDICATORS)
FLAGGED_RESULTS = frozenset({PRESUMED_VICTIM, POSSIBLE_VICTIM})

NOT_SCREENED = "not_screened"
RISK_LEVELS: Mapping[str, str] = MappingProxyType(
    {
        PRESUMED_VICTIM: "high",
        POSSIBLE_VICTIM: "medium",
        INCOMPLETE: "unknown",
        NO_INDICATORS: "low",
    }
)

RECRUITMENT, EXPLOITATION, COERCION = "recruitment", "exploitation", "coercion"
ELEMENTS = (RECRUITMENT, EXPLOITATION, COERCION)
ELEMENT_DIMENSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        RECRUITMENT: (
            "deceptive_recruitment",
            "coercive_recruitment",
            "vulnerability_recruitment",
        ),
        EXPLOITATION: ("exploitative_conditions",),
        COERCION: ("coercion_destination", "vulnerability_destination"),
    }
)
# The six Delphi dimensions; the supplementary debt dimension is deliberately not among them.
DELPHI_DIMENSIONS = tuple(d for element in ELEMENTS for d in ELEMENT_DIMENSIONS[element])

DEBT_BONDAGE_CODES = ("cr_debt_bondage", "cd_debt_bondage")
DEBT_OWED = "debt_owed"
DEBT_AGGRAVATING_CODES = (
    "debt_inflated",
    "debt_wages_withheld",
    "debt_cannot_leave",
    "debt_threats",
    "debt_family_pledged",
)

# The clauses of the dimension rule, in the order screening.md lists them.
TWO_STRONG = "two_strong"
STRONG_AND_MEDIUM_OR_WEAK = "strong_and_medium_or_weak"
THREE_MEDIUM = "three_medium"
TWO_MEDIUM_AND_WEAK = "two_medium_and_weak"
POSITIVITY_CLAUSES = (TWO_STRONG, STRONG_AND_MEDIUM_OR_WEAK, THREE_MEDIUM, TWO_MEDIUM_AND_WEAK)

DEBT_PATH_BONDAGE = "bondage"
DEBT_PATH_DEBT = "debt"

# Rule set 2: a positive vulnerability dimension supports its element only when a `yes` was
# answered in one of these dimensions of the same stage (abuse needs an abuser's act).
VULNERABILITY_NEEDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "vulnerability_recruitment": ("deceptive_recruitment", "coercive_recruitment"),
        "vulnerability_destination": ("coercion_destination",),
    }
)
# The ground a no_indicators result of rule set 2 names when it carries notes.
NOTES = "notes"

REASON_RESULT = "result"
REASON_DIMENSION_POSITIVE = "dimension_positive"
REASON_ELEMENT_HELD = "element_held"
REASON_STRONG_INDICATOR = "strong_indicator"
REASON_FORCED_LABOUR = "forced_labour"
REASON_DEBT_COERCION = "debt_coercion"
REASON_CORE_UNKNOWN = "core_unknown"
# Rule set 2 only.
REASON_INDICATOR_LIST = "indicator_list"
REASON_DEBT_OWED_INFERRED = "debt_owed_inferred"
REASON_VULNERABILITY_NOT_SUFFICIENT = "vulnerability_not_sufficient"
REASON_EXPLOITATION_WITHOUT_MEANS = "exploitation_without_means"
REASON_CHILD_NO_MEANS = "child_no_means"
REASON_CODES = (
    REASON_RESULT,
    REASON_DIMENSION_POSITIVE,
    REASON_ELEMENT_HELD,
    REASON_STRONG_INDICATOR,
    REASON_FORCED_LABOUR,
    REASON_DEBT_COERCION,
    REASON_CORE_UNKNOWN,
    REASON_INDICATOR_LIST,
    REASON_DEBT_OWED_INFERRED,
    REASON_VULNERABILITY_NOT_SUFFICIENT,
    REASON_EXPLOITATION_WITHOUT_MEANS,
    REASON_CHILD_NO_MEANS,
)

# The parameters each reason carries; a stored reason is checked against them on load.
REASON_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        REASON_RESULT: frozenset({"result", "grounds"}),
        REASON_DIMENSION_POSITIVE: frozenset({"dimension", "clause", *STRENGTHS}),
        REASON_ELEMENT_HELD: frozenset({"element", "dimensions"}),
        REASON_STRONG_INDICATOR: frozenset({"indicators"}),
        REASON_FORCED_LABOUR: frozenset({"involuntariness", "penalty"}),
        REASON_DEBT_COERCION: frozenset({"path", "indicators"}),
        REASON_CORE_UNKNOWN: frozenset({"indicators"}),
        REASON_INDICATOR_LIST: frozenset({"list"}),
        REASON_DEBT_OWED_INFERRED: frozenset({"indicators"}),
        REASON_VULNERABILITY_NOT_SUFFICIENT: frozenset({"dimension", "element"}),
        REASON_EXPLOITATION_WITHOUT_MEANS: frozenset(),
        REASON_CHILD_NO_MEANS: frozenset(),
    }
)

# The key under which errors about the answers as a whole are reported, as DRF names it.
NON_FIELD_ERRORS = "non_field_errors"


class InvalidAnswers(ValueError):
    """The answers name an unknown indicator or give a value other than yes, no or unknown."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {key: list(value) for key, value in errors.items()}
        super().__init__(self.errors)


ParamValue = str | int | bool | tuple[str, ...]


def _freeze_params(params: Mapping[str, Any]) -> Mapping[str, ParamValue]:
    frozen: dict[str, ParamValue] = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            if not all(isinstance(item, str) for item in value):
                raise ValueError(f"reason parameter {key!r} must be a list of strings")
            frozen[key] = tuple(value)
        elif isinstance(value, str | int | bool):
            frozen[key] = value
        else:
            raise ValueError(f"reason parameter {key!r} has an unsupported type")
    return MappingProxyType(frozen)


@dataclass(frozen=True)
class Reason:
    """One structured reason: a code from `REASON_CODES` and JSON-safe parameters."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in REASON_CODES:
            raise ValueError(f"unknown reason code {self.code!r}")
        if set(self.params) != REASON_PARAMS[self.code]:
            raise ValueError(
                f"reason {self.code!r} needs the params {sorted(REASON_PARAMS[self.code])}"
            )
        object.__setattr__(self, "params", _freeze_params(self.params))

    def to_dict(self) -> dict[str, Any]:
        """The reason as stored: {"code", "params"} with lists for sequences."""
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"code": self.code, "params": params}

    @classmethod
    def from_dict(cls, data: Any) -> Reason:
        """A reason from its stored form; raises ValueError when the shape is wrong."""
        if not isinstance(data, Mapping) or set(data) != {"code", "params"}:
            raise ValueError("a reason needs exactly the keys code and params")
        if not isinstance(data["params"], Mapping):
            raise ValueError("reason params must be an object")
        return cls(code=data["code"], params=data["params"])


@dataclass(frozen=True)
class DimensionTally:
    """The `yes` answers of one dimension, counted by strength, and whether it is positive."""

    strong: int
    medium: int
    weak: int
    positive: bool

    def to_dict(self) -> dict[str, Any]:
        """The tally as api.md shows it."""
        return {
            "strong": self.strong,
            "medium": self.medium,
            "weak": self.weak,
            "positive": self.positive,
        }


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of one screening, as computed with one catalogue version."""

    trafficking: str
    forced_labour: bool
    debt_coercion: bool
    elements: Mapping[str, bool]
    dimensions: Mapping[str, DimensionTally]
    missing_core: tuple[str, ...]
    risk_level: str
    reasons: tuple[Reason, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", MappingProxyType(dict(self.elements)))
        object.__setattr__(self, "dimensions", MappingProxyType(dict(self.dimensions)))
        object.__setattr__(self, "missing_core", tuple(self.missing_core))
        object.__setattr__(self, "reasons", tuple(self.reasons))

    @property
    def flagged(self) -> bool:
        """Whether the person is flagged for identification (presumed or possible victim)."""
        return self.trafficking in FLAGGED_RESULTS

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form: api.md's `result`, plus risk_level, missing_core, reasons."""
        return {
            "trafficking": self.trafficking,
            "forced_labour": self.forced_labour,
            "debt_coercion": self.debt_coercion,
            "elements": {element: self.elements[element] for element in ELEMENTS},
            "dimensions": {code: self.dimensions[code].to_dict() for code in DELPHI_DIMENSIONS},
            "missing_core": list(self.missing_core),
            "risk_level": self.risk_level,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }

    @classmethod
    def from_dict(cls, data: Any) -> ScreeningResult:
        """A result from its stored form; raises ValueError when the shape is wrong."""
        expected = {
            "trafficking",
            "forced_labour",
            "debt_coercion",
            "elements",
            "dimensions",
            "missing_core",
            "risk_level",
            "reasons",
        }
        if not isinstance(data, Mapping) or set(data) != expected:
            raise ValueError(f"a screening result needs exactly the keys {sorted(expected)}")
        trafficking = data["trafficking"]
        if trafficking not in RESULTS:
            raise ValueError(f"unknown result {trafficking!r}")
        if data["risk_level"] != RISK_LEVELS[trafficking]:
            raise ValueError("risk_level does not match the result")
        elements = data["elements"]
        if not isinstance(elements, Mapping) or set(elements) != set(ELEMENTS):
            raise ValueError(f"elements needs exactly the keys {list(ELEMENTS)}")
        dimensions = data["dimensions"]
        if not isinstance(dimensions, Mapping) or set(dimensions) != set(DELPHI_DIMENSIONS):
            raise ValueError(f"dimensions needs exactly the keys {list(DELPHI_DIMENSIONS)}")
        tallies = {code: _tally_from_dict(dimensions[code]) for code in DELPHI_DIMENSIONS}
        missing_core = data["missing_core"]
        if not isinstance(missing_core, list) or not all(isinstance(c, str) for c in missing_core):
            raise ValueError("missing_core must be a list of codes")
        if not isinstance(data["reasons"], list):
            raise ValueError("reasons must be a list")
        return cls(
            trafficking=trafficking,
            forced_labour=_bool(data["forced_labour"], "forced_labour"),
            debt_coercion=_bool(data["debt_coercion"], "debt_coercion"),
            elements={element: _bool(elements[element], element) for element in ELEMENTS},
            dimensions=tallies,
            missing_core=tuple(missing_core),
            risk_level=data["risk_level"],
            reasons=tuple(Reason.from_dict(reason) for reason in data["reasons"]),
        )


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def _count(value: Any, name: str) -> int:
    # bool is an int subclass; a stored `true` is not a count.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a count")
    return value


def _tally_from_dict(data: Any) -> DimensionTally:
    if not isinstance(data, Mapping) or set(data) != {"strong", "medium", "weak", "positive"}:
        raise ValueError("a dimension needs exactly the keys strong, medium, weak, positive")
    return DimensionTally(
        strong=_count(data["strong"], "strong"),
        medium=_count(data["medium"], "medium"),
        weak=_count(data["weak"], "weak"),
        positive=_bool(data["positive"], "positive"),
    )


def positivity_clause(*, strong: int, medium: int, weak: int) -> str | None:
    """The first clause of the dimension rule that these `yes` counts meet, or None."""
    if strong >= 2:
        return TWO_STRONG
    if strong >= 1 and medium + weak >= 1:
        return STRONG_AND_MEDIUM_OR_WEAK
    if medium >= 3:
        return THREE_MEDIUM
    if medium >= 2 and weak >= 1:
        return TWO_MEDIUM_AND_WEAK
    return None


def dimension_is_positive(*, strong: int, medium: int, weak: int) -> bool:
    """Whether a dimension with these `yes` counts is positive."""
    return positivity_clause(strong=strong, medium=medium, weak=weak) is not None


def risk_level(result: ScreeningResult | str | None) -> str:
    """The list risk level for a result (or its `trafficking` value); None: not screened."""
    if result is None:
        return NOT_SCREENED
    trafficking = result.trafficking if isinstance(result, ScreeningResult) else result
    try:
        return RISK_LEVELS[trafficking]
    except KeyError:
        raise ValueError(f"unknown result {trafficking!r}") from None


def _shorten(value: object, limit: int = 60) -> str:
    # Error messages echo the input; an attacker-sized value should not echo back whole.
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_answers(
    answers: object, *, catalogue: Catalogue | None = None, indicator_list: str | None = None
) -> dict[str, str]:
    """Every code of the list mapped to yes/no/unknown (missing: unknown); else InvalidAnswers.

    `indicator_list` (catalogues from version 2) is the list the interview asks; a code of the
    catalogue that this list does not ask is refused like an unknown one.
    """
    catalogue = catalogue or get_catalogue()
    indicator_list = _list_of(catalogue, indicator_list)
    if not isinstance(answers, Mapping):
        raise InvalidAnswers(
            {
                NON_FIELD_ERRORS: [
                    _("Answers must be an object that maps indicator codes to yes, no or unknown.")
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    for code, value in answers.items():
        key = _shorten(code)
        if not isinstance(code, str) or code not in catalogue.by_code:
            errors[key] = [
                _("“%(code)s” is not an indicator of catalogue %(version)s.")
                % {"code": key, "version": catalogue.version}
            ]
        elif not catalogue.by_code[code].in_list(indicator_list):
            errors[key] = [
                _("“%(code)s” is not asked in the questions for %(list)s.")
                % {"code": key, "list": catalogue.list_name(indicator_list)}
            ]
        elif not (isinstance(value, str) and value in ANSWERS):
            errors[key] = [
                _("“%(value)s” is not a valid answer; use yes, no or unknown.")
                % {"value": _shorten(value)}
            ]
    if errors:
        raise InvalidAnswers(errors)
    return {code: answers.get(code, UNKNOWN) for code in catalogue.codes_for(indicator_list)}


def _list_of(catalogue: Catalogue, indicator_list: str | None) -> str | None:
    """The list an evaluation uses: the one given, or the catalogue's default (None in v1)."""
    try:
        return catalogue.check_list(indicator_list)
    except KeyError:
        raise CatalogueError(
            f"catalogue {catalogue.version} has no indicator list {indicator_list!r}"
        ) from None


def _check_catalogue(catalogue: Catalogue) -> None:
    # The rules name dimensions and codes; a catalogue without them cannot be evaluated.
    missing = [d for d in DELPHI_DIMENSIONS if d not in catalogue.dimensions_by_code]
    missing += [
        c
        for c in (*DEBT_BONDAGE_CODES, DEBT_OWED, *DEBT_AGGRAVATING_CODES)
        if c not in catalogue.by_code
    ]
    if missing:
        raise CatalogueError(
            f"catalogue {catalogue.version} lacks what the rules need: {', '.join(missing)}"
        )


def evaluate(
    answers: Mapping[str, str],
    *,
    catalogue: Catalogue | None = None,
    indicator_list: str | None = None,
) -> ScreeningResult:
    """Apply the screening rules of screening.md (and the catalogue's rule set) to answers.

    `indicator_list` is the list the interview asked (catalogues from version 2; default: the
    catalogue's list for adults in labour exploitation).
    """
    catalogue = catalogue or get_catalogue()
    _check_catalogue(catalogue)
    indicator_list = _list_of(catalogue, indicator_list)
    answered = validate_answers(answers, catalogue=catalogue, indicator_list=indicator_list)
    rule_set_2 = catalogue.rules >= 2
    child = rule_set_2 and catalogue.for_children(indicator_list)

    inferred: list[str] = []
    if rule_set_2 and answered[DEBT_OWED] != YES:
        # The other debt questions presuppose a debt: "the debt grows", "you cannot leave
        # until the debt is repaid". A yes there answers debt_owed too.
        inferred = [c for c in DEBT_AGGRAVATING_CODES if answered.get(c) == YES]
        if inferred:
            answered[DEBT_OWED] = YES

    asked = catalogue.indicators_for(indicator_list)
    yes = [indicator for indicator in asked if answered[indicator.code] == YES]
    yes_codes = {indicator.code for indicator in yes}

    def strength(indicator) -> str | None:
        return indicator.strength_in(indicator_list)

    tallies: dict[str, DimensionTally] = {}
    dimension_reasons: list[Reason] = []
    for dimension in DELPHI_DIMENSIONS:
        by_strength = {
            level: [i.code for i in yes if i.dimension == dimension and strength(i) == level]
            for level in STRENGTHS
        }
        counts = {level: len(codes) for level, codes in by_strength.items()}
        clause = positivity_clause(**counts)
        tallies[dimension] = DimensionTally(**counts, positive=clause is not None)
        if clause is not None:
            dimension_reasons.append(
                Reason(
                    REASON_DIMENSION_POSITIVE,
                    {"dimension": dimension, "clause": clause, **by_strength},
                )
            )

    elements: dict[str, bool] = {}
    element_reasons: list[Reason] = []
    note_reasons: list[Reason] = []
    for element in ELEMENTS:
        positive = [d for d in ELEMENT_DIMENSIONS[element] if tallies[d].positive]
        if rule_set_2:
            # Abuse of vulnerability needs an act of deception or coercion at the same stage.
            alone = [
                d
                for d in positive
                if d in VULNERABILITY_NEEDS
                and not any(i.dimension in VULNERABILITY_NEEDS[d] for i in yes)
            ]
            positive = [d for d in positive if d not in alone]
            note_reasons += [
                Reason(REASON_VULNERABILITY_NOT_SUFFICIENT, {"dimension": d, "element": element})
                for d in alone
            ]
        elements[element] = bool(positive)
        if positive:
            element_reasons.append(
                Reason(REASON_ELEMENT_HELD, {"element": element, "dimensions": positive})
            )

    # Debt codes carry no strength, so only the Delphi strong indicators count here.
    strong_yes = [i.code for i in yes if strength(i) == STRONG]
    involuntary = [i.code for i in yes if i.role == INVOLUNTARINESS]
    penalty = [i.code for i in yes if i.role == PENALTY]
    forced_labour = bool(involuntary) and bool(penalty)
    bondage = [c for c in DEBT_BONDAGE_CODES if c in yes_codes]
    aggravating = [c for c in DEBT_AGGRAVATING_CODES if c in yes_codes]
    debt_used = DEBT_OWED in yes_codes and bool(aggravating)
    debt_coercion = bool(bondage) or debt_used
    missing_core = tuple(code for code in catalogue.core_codes if answered[code] == UNKNOWN)

    grounds = [element for element in ELEMENTS if elements[element]]
    grounds += [REASON_STRONG_INDICATOR] if strong_yes else []
    grounds += [REASON_FORCED_LABOUR] if forced_labour else []
    grounds += [REASON_DEBT_COERCION] if debt_coercion else []
    if rule_set_2 and not child and grounds == [EXPLOITATION]:
        # An adult's exploitative conditions with no means, no strong indicator, no forced
        # labour and no debt coercion: a labour-rights matter, noted but not flagged.
        grounds = []
        note_reasons.append(Reason(REASON_EXPLOITATION_WITHOUT_MEANS, {}))
    # Palermo Protocol art. 3(c): for a child, recruitment for exploitation is trafficking
    # "even if this does not involve any of the means".
    presumed = elements[RECRUITMENT] and elements[EXPLOITATION] and (child or elements[COERCION])
    # First rule that matches, in screening.md's order.
    if presumed:
        trafficking = PRESUMED_VICTIM
    elif grounds:
        trafficking = POSSIBLE_VICTIM
    elif missing_core:
        trafficking, grounds = INCOMPLETE, [REASON_CORE_UNKNOWN]
    else:
        trafficking = NO_INDICATORS
        grounds = [NOTES] if note_reasons else []

    reasons = [Reason(REASON_RESULT, {"result": trafficking, "grounds": grounds})]
    if rule_set_2:
        reasons.append(Reason(REASON_INDICATOR_LIST, {"list": indicator_list or ""}))
    if inferred:
        reasons.append(Reason(REASON_DEBT_OWED_INFERRED, {"indicators": inferred}))
    reasons += dimension_reasons + element_reasons + note_reasons
    if child:
        reasons.append(Reason(REASON_CHILD_NO_MEANS, {}))
    if strong_yes:
        reasons.append(Reason(REASON_STRONG_INDICATOR, {"indicators": strong_yes}))
    if forced_labour:
        reasons.append(
            Reason(REASON_FORCED_LABOUR, {"involuntariness": involuntary, "penalty": penalty})
        )
    if bondage:
        reasons.append(
            Reason(REASON_DEBT_COERCION, {"path": DEBT_PATH_BONDAGE, "indicators": bondage})
        )
    if debt_used:
        reasons.append(
            Reason(
                REASON_DEBT_COERCION,
                {"path": DEBT_PATH_DEBT, "indicators": [DEBT_OWED, *aggravating]},
            )
        )
    if missing_core:
        reasons.append(Reason(REASON_CORE_UNKNOWN, {"indicators": list(missing_core)}))

    return ScreeningResult(
        trafficking=trafficking,
        forced_labour=forced_labour,
        debt_coercion=debt_coercion,
        elements=elements,
        dimensions=tallies,
        missing_core=missing_core,
        risk_level=risk_level(trafficking),
        reasons=tuple(reasons),
    )


def render_reasons(
    result: ScreeningResult, language: str | None = None, *, catalogue: Catalogue | None = None
) -> list[str]:
    """The result's reasons as sentences in `language` (default: the active language).

    Pass the catalogue of the version the screening was computed with, so that indicators are
    named as they were then.
    """
    catalogue = catalogue or get_catalogue()
    if language is None:
        return [_render(reason, catalogue, normalize_language()) for reason in result.reasons]
    with override(language):
        lang = normalize_language(language)
        return [_render(reason, catalogue, lang) for reason in result.reasons]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    # Translators: joins the last item of a list, e.g. "A, B and C".
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _indicators(codes: Sequence[str], catalogue: Catalogue, lang: str) -> str:
    # Indicator texts may contain commas, so they are separated by semicolons.
    return "; ".join(catalogue.text(code, lang) for code in codes)


def _codes(params: Mapping[str, ParamValue], key: str) -> tuple[str, ...]:
    value = params.get(key, ())
    return value if isinstance(value, tuple) else ()


def _render(reason: Reason, catalogue: Catalogue, lang: str) -> str:
    params = reason.params
    if reason.code == REASON_RESULT:
        return _result_sentence(str(params["result"]), _codes(params, "grounds"))
    if reason.code == REASON_DIMENSION_POSITIVE:
        return _dimension_sentence(params, catalogue, lang)
    if reason.code == REASON_ELEMENT_HELD:
        names = [catalogue.dimension_name(d, lang) for d in _codes(params, "dimensions")]
        return _element_sentence(str(params["element"])) % {"dimensions": _join(names)}
    if reason.code == REASON_STRONG_INDICATOR:
        codes = _codes(params, "indicators")
        return ngettext(
            "%(count)d strong indicator answered yes: %(indicators)s.",
            "%(count)d strong indicators answered yes: %(indicators)s.",
            len(codes),
        ) % {"count": len(codes), "indicators": _indicators(codes, catalogue, lang)}
    if reason.code == REASON_FORCED_LABOUR:
        involuntary, penalty = _codes(params, "involuntariness"), _codes(params, "penalty")
        return _(
            "Forced labour: the work is involuntary (%(involuntariness)s) and exacted under "
            "the menace of a penalty (%(penalty)s)."
        ) % {
            "involuntariness": _indicators(involuntary, catalogue, lang),
            "penalty": _indicators(penalty, catalogue, lang),
        }
    if reason.code == REASON_DEBT_COERCION:
        codes = _codes(params, "indicators")
        if params["path"] == DEBT_PATH_BONDAGE:
            sentence = _("Debt coercion: debt bondage was reported (%(indicators)s).")
        else:
            sentence = _(
                "Debt coercion: the person owes a debt that is used against them (%(indicators)s)."
            )
        return sentence % {"indicators": _indicators(codes, catalogue, lang)}
    if reason.code == REASON_CORE_UNKNOWN:
        codes = _codes(params, "indicators")
        return ngettext(
            "%(count)d core question is unanswered: %(indicators)s.",
            "%(count)d core questions are unanswered: %(indicators)s.",
            len(codes),
        ) % {"count": len(codes), "indicators": _indicators(codes, catalogue, lang)}
    return _render_rule_set_2(reason, catalogue, lang)


def _render_rule_set_2(reason: Reason, catalogue: Catalogue, lang: str) -> str:
    params = reason.params
    if reason.code == REASON_INDICATOR_LIST:
        return _(
            "Questions asked: %(list)s (chosen from the person's age and the case's sector)."
        ) % {"list": catalogue.list_name(str(params["list"]), lang) or str(params["list"])}
    if reason.code == REASON_DEBT_OWED_INFERRED:
        return _(
            "A debt is counted as owed: the answers about the debt (%(indicators)s) presuppose one."
        ) % {"indicators": _indicators(_codes(params, "indicators"), catalogue, lang)}
    if reason.code == REASON_VULNERABILITY_NOT_SUFFICIENT:
        name = catalogue.dimension_name(str(params["dimension"]), lang)
        if params["element"] == RECRUITMENT:
            sentence = _(
                "%(dimension)s is positive, but abuse of vulnerability alone does not establish "
                "element A (recruitment): no deception or coercion at recruitment was reported. "
                "Offer the person information and services."
            )
        else:
            sentence = _(
                "%(dimension)s is positive, but abuse of vulnerability alone does not establish "
                "element C (coercion): no coercion at destination was reported. Offer the "
                "person information and services."
            )
        return sentence % {"dimension": name}
    if reason.code == REASON_EXPLOITATION_WITHOUT_MEANS:
        return _(
            "Exploitative conditions of work alone do not flag an adult: no deception, coercion, "
            "strong indicator, forced labour or debt coercion was found. Record the labour-law "
            "violations and refer the person to legal aid."
        )
    if reason.code == REASON_CHILD_NO_MEANS:
        return _(
            "The person is a child: element C (coercion) is not required (Palermo Protocol "
            "art. 3(c)), so recruitment and exploitation are enough for a presumed victim."
        )
    raise ValueError(f"unknown reason code {reason.code!r}")  # pragma: no cover


def _result_sentence(trafficking: str, grounds: Sequence[str] = ()) -> str:
    if trafficking == PRESUMED_VICTIM and COERCION not in grounds:
        return _(
            "Result: presumed victim of trafficking; the person is a child, and the recruitment "
            "and exploitation elements hold."
        )
    if trafficking == PRESUMED_VICTIM:
        return _(
            "Result: presumed victim of trafficking; the recruitment, exploitation and coercion "
            "elements all hold."
        )
    if trafficking == POSSIBLE_VICTIM:
        return _(
            "Result: possible victim of trafficking or forced labour; refer the person for "
            "identification."
        )
    if trafficking == INCOMPLETE:
        return _(
            "Result: incomplete; core questions are unanswered and no indicator has been found "
            "so far."
        )
    if NOTES in grounds:
        return _(
            "Result: no indicators of trafficking or forced labour were found at this interview; "
            "see the notes below. This does not clear the person."
        )
    return _("Result: no indicators were found at this interview. This does not clear the person.")


def _element_sentence(element: str) -> str:
    if element == RECRUITMENT:
        return _("Element A (recruitment) holds: %(dimensions)s.")
    if element == EXPLOITATION:
        return _("Element B (exploitation) holds: %(dimensions)s.")
    return _("Element C (coercion) holds: %(dimensions)s.")


def _dimension_sentence(params: Mapping[str, ParamValue], catalogue: Catalogue, lang: str) -> str:
    parts = []
    for strength in STRENGTHS:
        codes = _codes(params, strength)
        if not codes:
            continue
        count, names = len(codes), _indicators(codes, catalogue, lang)
        if strength == STRONG:
            template = ngettext(
                "%(count)d strong indicator (%(indicators)s)",
                "%(count)d strong indicators (%(indicators)s)",
                count,
            )
        elif strength == MEDIUM:
            template = ngettext(
                "%(count)d medium indicator (%(indicators)s)",
                "%(count)d medium indicators (%(indicators)s)",
                count,
            )
        else:
            template = ngettext(
                "%(count)d weak indicator (%(indicators)s)",
                "%(count)d weak indicators (%(indicators)s)",
                count,
            )
        parts.append(template % {"count": count, "indicators": names})
    return _("%(dimension)s is positive: %(details)s.") % {
        "dimension": catalogue.dimension_name(str(params["dimension"]), lang),
        "details": _join(parts),
    }
