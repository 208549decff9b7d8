"""The screening catalogue: indicators, dimensions and debt creditors, loaded from versioned JSON.

Each catalogue version is one JSON file in this directory, named after the version. A stored
screening keeps the version it was computed with, so a file, once released, never changes what
decides a result: its codes, dimensions, strengths, roles, core flags and English texts. Only
the Russian and Kazakh wording may be corrected, to the terms of docs/glossary.md
(`manage.py apply_glossary`; tests/core/test_glossary.py holds every file to them), and texts
in further interview languages added.

**Languages.** Every text has English, Russian and Kazakh (the interface languages,
`LANGUAGES`). A catalogue may declare further **interview languages** (`INTERVIEW_ONLY`:
Uzbek in Latin script, Tajik and Kyrgyz in Cyrillic, the languages most migrants in the region
speak) in its `languages`; their texts are optional per text, and a text missing in one is
shown in Russian, the language interpreters in the region work from (`text_for` says which
language a text is really in, so a page can mark the fallback). A text in a language the
catalogue does not declare is refused. Version 2 also carries the answer labels (`answers`)
and the consent statement read to the person (`consent`) in each of its languages.

From version 2 a catalogue also declares its **indicator lists** and the **rules** the engine
applies to it. The ILO/EC *Operational indicators of trafficking in human beings* (Delphi
survey, 2009) give four lists: adults and children, each for labour and for sexual
exploitation; the list an interview uses is chosen from the person's age and the case's sector
(`Catalogue.list_for`). An indicator belongs to every list unless it names its lists, and may
carry another strength in some lists (`strength_in`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.utils.translation import get_language

VERSION_1 = "delphi-2009-labour+debt-1"
VERSION_2 = "delphi-2009+debt-2"
CURRENT_VERSION = VERSION_2
# The interface languages: every text of every catalogue has them.
LANGUAGES = ("en", "ru", "kk")
FALLBACK_LANGUAGE = "en"
# Interview languages only (never interface languages): ISO 639-1 codes, uz in the Latin
# script used officially in Uzbekistan (oʻ, gʻ with U+02BB), tg and ky in Cyrillic.
INTERVIEW_ONLY = ("uz", "tg", "ky")
TEXT_LANGUAGES = (*LANGUAGES, *INTERVIEW_ONLY)
# A text missing in an interview-only language is shown in Russian for the interpreter.
INTERPRETER_LANGUAGE = "ru"

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
STRENGTHS = (STRONG, MEDIUM, WEAK)
INVOLUNTARINESS, PENALTY = "I", "P"
ROLES = (INVOLUNTARINESS, PENALTY)
ADULT, CHILD = "adult", "child"
AGE_GROUPS = (ADULT, CHILD)
LABOUR, SEXUAL, BEGGING = "labour", "sexual", "begging"
FORMS = (LABOUR, SEXUAL, BEGGING)
# The rule sets the engine knows (engine.py): 1 = screening.md as first written; 2 = the
# catalogue version 2 rules (abuse of vulnerability, exploitation alone, children, debt).
RULE_SETS = (1, 2)
# The answers a question takes (engine.ANSWERS); a catalogue may label them per language.
ANSWER_VALUES = ("yes", "no", "unknown")

_DIRECTORY = Path(__file__).resolve().parent
# Versions name files, so they are kept to characters that cannot climb out of this directory.
_VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")

Texts = Mapping[str, str]


class CatalogueError(ValueError):
    """A catalogue file is missing or malformed."""


def normalize_language(language: str | None = None) -> str:
    """The catalogue language for a Django language code (`ru-ru` -> `ru`); default: active."""
    code = (language or get_language() or FALLBACK_LANGUAGE).lower().replace("_", "-")
    base = code.split("-", 1)[0]
    return base if base in LANGUAGES else FALLBACK_LANGUAGE


def text_for(texts: Texts, language: str | None = None) -> tuple[str, str]:
    """A text in `language` and the language it is really in (after any fallback).

    An interface language (or none: the active one) falls back to English; an interview-only
    language (uz, tg, ky) to Russian, which interpreters in the region work from.
    """
    code = (language or "").lower().replace("_", "-").split("-", 1)[0]
    if code in INTERVIEW_ONLY:
        if texts.get(code):
            return texts[code], code
        return texts[INTERPRETER_LANGUAGE], INTERPRETER_LANGUAGE
    code = normalize_language(language)
    if texts.get(code):
        return texts[code], code
    return texts[FALLBACK_LANGUAGE], FALLBACK_LANGUAGE


def _in_language(texts: Texts, language: str | None) -> str:
    return text_for(texts, language)[0]


@dataclass(frozen=True)
class Dimension:
    """A group of indicators (six Delphi dimensions, plus the supplementary debt dimension)."""

    code: str
    order: int
    name: Texts

    def name_in(self, language: str | None = None) -> str:
        """The dimension's name in `language` (default: the active language; fallback: en)."""
        return _in_language(self.name, language)


@dataclass(frozen=True)
class Indicator:
    """One screening indicator: its strength, ILO role and texts."""

    code: str
    dimension: str
    strength: str | None
    role: str | None
    core: bool
    text: Texts
    question: Texts
    # The lists the indicator is asked in; None: every list of the catalogue.
    lists: frozenset[str] | None = None
    # Another strength in some lists (list code -> strength).
    strengths: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def in_list(self, indicator_list: str | None) -> bool:
        """Whether the indicator is asked in `indicator_list` (None: the catalogue has none)."""
        return indicator_list is None or self.lists is None or indicator_list in self.lists

    def strength_in(self, indicator_list: str | None) -> str | None:
        """The indicator's strength in `indicator_list` (its own strength unless overridden)."""
        if indicator_list is None:
            return self.strength
        return self.strengths.get(indicator_list, self.strength)

    def text_in(self, language: str | None = None) -> str:
        """The indicator's meaning in `language` (default: the active language; fallback: en)."""
        return _in_language(self.text, language)

    def question_in(self, language: str | None = None) -> str:
        """The interview question in `language` (default: the active language; fallback: en)."""
        return _in_language(self.question, language)

    def question_for(self, language: str | None = None) -> tuple[str, str]:
        """The interview question in `language`, and the language it is really in."""
        return text_for(self.question, language)


@dataclass(frozen=True)
class Creditor:
    """A kind of creditor a migrant may owe a debt to."""

    code: str
    label: Texts

    def label_in(self, language: str | None = None) -> str:
        """The creditor's label in `language` (default: the active language; fallback: en)."""
        return _in_language(self.label, language)


@dataclass(frozen=True)
class IndicatorList:
    """One list of indicators: for adults or children, for one form of exploitation."""

    code: str
    age_group: str
    form: str
    name: Texts
    source: str

    @property
    def for_children(self) -> bool:
        return self.age_group == CHILD

    def name_in(self, language: str | None = None) -> str:
        """The list's name in `language` (default: the active language; fallback: en)."""
        return _in_language(self.name, language)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """One version of the catalogue; indicators and dimensions keep the catalogue's order."""

    version: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    creditors: tuple[Creditor, ...]
    rules: int = 1
    lists: tuple[IndicatorList, ...] = ()
    # The case's sector -> the form of exploitation whose list is used (else: labour).
    sector_forms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # A person younger than this (in whole years) is a child (Palermo Protocol art. 3(d)).
    child_age_below: int = 18
    source: str = ""
    # The languages the catalogue has texts in: the interface ones, then interview-only ones.
    languages: tuple[str, ...] = LANGUAGES
    # The labels of the answers (yes, no, unknown) and the consent statement read to the
    # person, in the catalogue's languages; empty in version 1 (the page's own labels).
    answers: Mapping[str, Texts] = field(default_factory=lambda: MappingProxyType({}))
    consent: Texts | None = None
    by_code: Mapping[str, Indicator] = field(init=False, repr=False)
    dimensions_by_code: Mapping[str, Dimension] = field(init=False, repr=False)
    lists_by_code: Mapping[str, IndicatorList] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", MappingProxyType({i.code: i for i in self.indicators}))
        object.__setattr__(
            self, "dimensions_by_code", MappingProxyType({d.code: d for d in self.dimensions})
        )
        object.__setattr__(
            self, "lists_by_code", MappingProxyType({lst.code: lst for lst in self.lists})
        )

    @property
    def default_list(self) -> str | None:
        """The list used when nothing is known of the person (adults, labour); None in v1."""
        return self.list_for(age=None, sector="") if self.lists else None

    def list_for(self, *, age: int | None, sector: str | None) -> str | None:
        """The list for a person of `age` (None: unknown) in a case of `sector`.

        A person whose age is not recorded is asked the adult questions: the interview page
        says so, since a person who may be a child is to be presumed one (CoE Convention
        art. 10(3)) and the date of birth should then be recorded first.
        """
        if not self.lists:
            return None
        age_group = CHILD if age is not None and age < self.child_age_below else ADULT
        form = self.sector_forms.get(sector or "", LABOUR)
        for candidate in (form, LABOUR):
            for indicator_list in self.lists:
                if indicator_list.age_group == age_group and indicator_list.form == candidate:
                    return indicator_list.code
        return self.lists[0].code

    def list_name(self, code: str | None, language: str | None = None) -> str:
        """A list's name in `language` ("" when the catalogue has no lists)."""
        if not code or code not in self.lists_by_code:
            return ""
        return self.lists_by_code[code].name_in(language)

    def for_children(self, code: str | None) -> bool:
        """Whether `code` is a list for children."""
        return bool(code and code in self.lists_by_code and self.lists_by_code[code].for_children)

    def check_list(self, code: str | None) -> str | None:
        """`code` if it is a list of this catalogue, the default list when None; else KeyError."""
        if code is None:
            return self.default_list
        if code not in self.lists_by_code:
            raise KeyError(code)
        return code

    def indicators_for(self, indicator_list: str | None) -> tuple[Indicator, ...]:
        """The indicators asked in one list, in catalogue order (all of them without lists)."""
        return tuple(i for i in self.indicators if i.in_list(indicator_list))

    def codes_for(self, indicator_list: str | None) -> tuple[str, ...]:
        """The codes asked in one list, in catalogue order."""
        return tuple(i.code for i in self.indicators_for(indicator_list))

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator code, in catalogue order."""
        return tuple(i.code for i in self.indicators)

    @property
    def core_codes(self) -> tuple[str, ...]:
        """The core questions a complete interview asks, in catalogue order."""
        return tuple(i.code for i in self.indicators if i.core)

    @property
    def creditor_codes(self) -> tuple[str, ...]:
        """The debt creditor values, in catalogue order."""
        return tuple(c.code for c in self.creditors)

    def indicators_in(
        self, dimension: str, indicator_list: str | None = None
    ) -> tuple[Indicator, ...]:
        """The indicators of one dimension (asked in `indicator_list`), in catalogue order."""
        return tuple(
            i for i in self.indicators if i.dimension == dimension and i.in_list(indicator_list)
        )

    def text(self, code: str, language: str | None = None) -> str:
        """An indicator's meaning in `language`."""
        return self.by_code[code].text_in(language)

    def question(self, code: str, language: str | None = None) -> str:
        """An indicator's interview question in `language`."""
        return self.by_code[code].question_in(language)

    def dimension_name(self, code: str, language: str | None = None) -> str:
        """A dimension's name in `language`."""
        return self.dimensions_by_code[code].name_in(language)

    def has_language(self, language: str | None) -> bool:
        """Whether the catalogue has texts in `language` (an interview language code)."""
        return language in self.languages

    def answer_for(self, answer: str, language: str | None = None) -> tuple[str, str] | None:
        """An answer's label in `language` and the language it is in (None: no labels)."""
        texts = self.answers.get(answer)
        return text_for(texts, language) if texts else None

    def consent_for(self, language: str | None = None) -> tuple[str, str] | None:
        """The consent statement in `language` and the language it is in (None: none)."""
        return text_for(self.consent, language) if self.consent else None

    def creditor_label(self, code: str, language: str | None = None) -> str:
        """A debt creditor's label in `language`."""
        for creditor in self.creditors:
            if creditor.code == code:
                return creditor.label_in(language)
        raise KeyError(code)


def available_versions() -> tuple[str, ...]:
    """The catalogue versions shipped with the code, sorted."""
    return tuple(sorted(p.stem for p in _DIRECTORY.glob("*.json")))


def get_catalogue(version: str | None = None) -> Catalogue:
    """The catalogue of `version` (default: `CURRENT_VERSION`), parsed once per process."""
    return _load(version or CURRENT_VERSION)


@cache
def _load(version: str) -> Catalogue:
    path = _DIRECTORY / f"{version}.json"
    if not _VERSION_PATTERN.fullmatch(version) or not path.is_file():
        raise CatalogueError(f"unknown catalogue version {version!r}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        catalogue = _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogueError(f"catalogue {version!r} is malformed: {exc}") from exc
    if catalogue.version != version:
        raise CatalogueError(f"{path.name} declares version {catalogue.version!r}")
    return catalogue


def _texts(raw: Any, what: str, languages: tuple[str, ...] = LANGUAGES) -> Texts:
    """One text in `languages`: the interface languages are required, the others optional."""
    unknown = sorted(set(raw) - set(languages))
    if unknown:
        raise CatalogueError(f"{what}: text in an undeclared language {', '.join(unknown)}")
    missing = [lang for lang in LANGUAGES if not isinstance(raw.get(lang), str) or not raw[lang]]
    if missing:
        raise CatalogueError(f"{what}: no text in {', '.join(missing)}")
    if any(not isinstance(raw[lang], str) for lang in raw):
        raise CatalogueError(f"{what}: a text is not a string")
    return MappingProxyType({lang: raw[lang] for lang in languages if raw.get(lang)})


def _languages(data: Mapping[str, Any]) -> tuple[str, ...]:
    declared = data.get("languages", list(LANGUAGES))
    if not isinstance(declared, list) or len(set(declared)) != len(declared):
        raise CatalogueError("languages must be a list of language codes")
    unknown = [lang for lang in declared if lang not in TEXT_LANGUAGES]
    if unknown:
        raise CatalogueError(f"unknown language {', '.join(map(str, unknown))}")
    if not set(LANGUAGES) <= set(declared):
        raise CatalogueError(f"languages must include {', '.join(LANGUAGES)}")
    return tuple(lang for lang in TEXT_LANGUAGES if lang in declared)


def _answers(data: Mapping[str, Any], languages: tuple[str, ...]) -> Mapping[str, Texts]:
    raw = data.get("answers", {})
    if not isinstance(raw, dict) or (raw and set(raw) != set(ANSWER_VALUES)):
        raise CatalogueError(f"answers must label {', '.join(ANSWER_VALUES)}")
    return MappingProxyType(
        {value: _texts(raw[value], f"answer {value}", languages) for value in raw}
    )


def _parse_lists(
    data: Mapping[str, Any], languages: tuple[str, ...] = LANGUAGES
) -> tuple[IndicatorList, ...]:
    lists = []
    for raw in data.get("lists", ()):
        code = raw["code"]
        if raw["age_group"] not in AGE_GROUPS:
            raise CatalogueError(f"list {code}: unknown age group {raw['age_group']!r}")
        if raw["form"] not in FORMS:
            raise CatalogueError(f"list {code}: unknown form {raw['form']!r}")
        lists.append(
            IndicatorList(
                code=code,
                age_group=raw["age_group"],
                form=raw["form"],
                name=_texts(raw["name"], code, languages),
                source=str(raw.get("source", "")),
            )
        )
    return tuple(lists)


def _indicator_lists(raw: Mapping[str, Any], list_codes: set[str]) -> frozenset[str] | None:
    code = raw["code"]
    if "lists" not in raw:
        return None
    named = raw["lists"]
    if not isinstance(named, list) or not named or not set(named) <= list_codes:
        raise CatalogueError(f"{code}: lists must name lists of the catalogue")
    return frozenset(named)


def _indicator_strengths(raw: Mapping[str, Any], list_codes: set[str]) -> Mapping[str, str]:
    code = raw["code"]
    strengths = raw.get("strength_in", {})
    if not isinstance(strengths, dict) or not set(strengths) <= list_codes:
        raise CatalogueError(f"{code}: strength_in must map lists of the catalogue")
    if any(value not in STRENGTHS for value in strengths.values()):
        raise CatalogueError(f"{code}: unknown strength in strength_in")
    return MappingProxyType(dict(strengths))


def _parse(data: Mapping[str, Any]) -> Catalogue:
    rules = int(data.get("rules", 1))
    if rules not in RULE_SETS:
        raise CatalogueError(f"unknown rule set {rules!r}")
    languages = _languages(data)
    lists = _parse_lists(data, languages)
    list_codes = {lst.code for lst in lists}
    sector_forms = dict(data.get("sector_forms", {}))
    if any(form not in FORMS for form in sector_forms.values()):
        raise CatalogueError("sector_forms names an unknown form")
    dimensions = tuple(
        sorted(
            (
                Dimension(
                    code=d["code"],
                    order=int(d["order"]),
                    name=_texts(d["name"], d["code"], languages),
                )
                for d in data["dimensions"]
            ),
            key=lambda d: d.order,
        )
    )
    dimension_codes = {d.code for d in dimensions}
    indicators = []
    for raw in data["indicators"]:
        code = raw["code"]
        if raw["dimension"] not in dimension_codes:
            raise CatalogueError(f"{code}: unknown dimension {raw['dimension']!r}")
        if raw["strength"] not in (*STRENGTHS, None):
            raise CatalogueError(f"{code}: unknown strength {raw['strength']!r}")
        if raw["role"] not in (*ROLES, None):
            raise CatalogueError(f"{code}: unknown role {raw['role']!r}")
        if not isinstance(raw["core"], bool):
            raise CatalogueError(f"{code}: core must be true or false")
        indicators.append(
            Indicator(
                code=code,
                dimension=raw["dimension"],
                strength=raw["strength"],
                role=raw["role"],
                core=raw["core"],
                text=_texts(raw["text"], code, languages),
                question=_texts(raw["question"], code, languages),
                lists=_indicator_lists(raw, list_codes),
                strengths=_indicator_strengths(raw, list_codes),
            )
        )
        if raw["core"] and "lists" in raw:
            # A complete interview asks every core question, whichever list it uses.
            raise CatalogueError(f"{code}: a core question is asked in every list")
    creditors = tuple(
        Creditor(code=c["code"], label=_texts(c["label"], c["code"], languages))
        for c in data["debt_creditors"]
    )
    for what, codes in (
        ("dimension", [d.code for d in dimensions]),
        ("indicator", [i.code for i in indicators]),
        ("creditor", [c.code for c in creditors]),
        ("list", [lst.code for lst in lists]),
    ):
        if len(set(codes)) != len(codes):
            raise CatalogueError(f"duplicate {what} code")
    if rules >= 2 and not lists:
        raise CatalogueError("a catalogue with rule set 2 declares its lists")
    return Catalogue(
        version=data["version"],
        dimensions=dimensions,
        indicators=tuple(indicators),
        creditors=creditors,
        rules=rules,
        lists=lists,
        sector_forms=MappingProxyType(sector_forms),
        child_age_below=int(data.get("child_age_below", 18)),
        source=str(data.get("source", "")),
        languages=languages,
        answers=_answers(data, languages),
        consent=_texts(data["consent"], "consent", languages) if "consent" in data else None,
    )
