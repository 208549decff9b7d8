"""The screening catalogue: indicators, dimensions and debt creditors, loaded from versioned JSON.

Each catalogue version is one JSON file in this directory, named after the version. A stored
screening keeps the version it was computed with, so a file, once released, never changes what
decides a result: its codes, dimensions, strengths, roles, core flags and English texts. Only
the Russian and Kazakh wording may be corrected, to the terms of docs/glossary.md
(`manage.py apply_glossary`; tests/core/test_glossary.py holds every file to them).
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

CURRENT_VERSION = "delphi-2009-labour+debt-1"
LANGUAGES = ("en", "ru", "kk")
FALLBACK_LANGUAGE = "en"

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
STRENGTHS = (STRONG, MEDIUM, WEAK)
INVOLUNTARINESS, PENALTY = "I", "P"
ROLES = (INVOLUNTARINESS, PENALTY)

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


def _in_language(texts: Texts, language: str | None) -> str:
    return texts.get(normalize_language(language)) or texts[FALLBACK_LANGUAGE]


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

    def text_in(self, language: str | None = None) -> str:
        """The indicator's meaning in `language` (default: the active language; fallback: en)."""
        return _in_language(self.text, language)

    def question_in(self, language: str | None = None) -> str:
        """The interview question in `language` (default: the active language; fallback: en)."""
        return _in_language(self.question, language)


@dataclass(frozen=True)
class Creditor:
    """A kind of creditor a migrant may owe a debt to."""

    code: str
    label: Texts

    def label_in(self, language: str | None = None) -> str:
        """The creditor's label in `language` (default: the active language; fallback: en)."""
        return _in_language(self.label, language)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """One version of the catalogue; indicators and dimensions keep the catalogue's order."""

    version: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    creditors: tuple[Creditor, ...]
    by_code: Mapping[str, Indicator] = field(init=False, repr=False)
    dimensions_by_code: Mapping[str, Dimension] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", MappingProxyType({i.code: i for i in self.indicators}))
        object.__setattr__(
            self, "dimensions_by_code", MappingProxyType({d.code: d for d in self.dimensions})
        )

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

    def indicators_in(self, dimension: str) -> tuple[Indicator, ...]:
        """The indicators of one dimension, in catalogue order."""
        return tuple(i for i in self.indicators if i.dimension == dimension)

    def text(self, code: str, language: str | None = None) -> str:
        """An indicator's meaning in `language`."""
        return self.by_code[code].text_in(language)

    def question(self, code: str, language: str | None = None) -> str:
        """An indicator's interview question in `language`."""
        return self.by_code[code].question_in(language)

    def dimension_name(self, code: str, language: str | None = None) -> str:
        """A dimension's name in `language`."""
        return self.dimensions_by_code[code].name_in(language)

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


def _texts(raw: Any, what: str) -> Texts:
    missing = [lang for lang in LANGUAGES if not isinstance(raw.get(lang), str) or not raw[lang]]
    if missing:
        raise CatalogueError(f"{what}: no text in {', '.join(missing)}")
    return MappingProxyType({lang: raw[lang] for lang in LANGUAGES})


def _parse(data: Mapping[str, Any]) -> Catalogue:
    dimensions = tuple(
        sorted(
            (
                Dimension(code=d["code"], order=int(d["order"]), name=_texts(d["name"], d["code"]))
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
                text=_texts(raw["text"], code),
                question=_texts(raw["question"], code),
            )
        )
    creditors = tuple(
        Creditor(code=c["code"], label=_texts(c["label"], c["code"]))
        for c in data["debt_creditors"]
    )
    for what, codes in (
        ("dimension", [d.code for d in dimensions]),
        ("indicator", [i.code for i in indicators]),
        ("creditor", [c.code for c in creditors]),
    ):
        if len(set(codes)) != len(codes):
            raise CatalogueError(f"duplicate {what} code")
    return Catalogue(
        version=data["version"],
        dimensions=dimensions,
        indicators=tuple(indicators),
        creditors=creditors,
    )
