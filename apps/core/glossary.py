"""The Russian and Kazakh glossary (docs/glossary.md): its terms, the wrong terms they replace.

docs/glossary.md is the one place the terms are kept; this module reads its two tables so that
tests/core/test_glossary.py and `manage.py apply_glossary` hold the catalogues to it. Nothing at
run time depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

GLOSSARY_PATH = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
LANGUAGES = ("ru", "kk")

TERMS_HEADER = ("Term (English)", "Official source", "Russian", "Kazakh", "Replaces (wrong terms)")
EXCEPTIONS_HEADER = ("Language", "Replaced term", "Right where the English says", "Why")

# `…` between two words of a replaced term: up to this many words in between.
GAP_WORDS = 6
_QUOTED = re.compile(r"«([^»]+)»")
_LANGUAGE_PART = re.compile(r"^\s*(ru|kk)\b:?\s*(.*)$", re.S)


class GlossaryError(ValueError):
    """docs/glossary.md does not have the tables this module reads."""


@dataclass(frozen=True)
class Ban:
    """A wrong term in one language, allowed only where the English text names `allowed_when`."""

    language: str
    term: str
    english: str
    allowed_when: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_term(self.term))

    def allowed_for(self, english: str) -> bool:
        """Whether the English text of the entry calls for this term after all."""
        return any(
            re.search(rf"(?<!\w){re.escape(cue)}", english, re.I) for cue in self.allowed_when
        )

    def found_in(self, text: str, english: str = "") -> list[str]:
        """The passages of `text` that use this wrong term (none where the English allows it)."""
        if self.allowed_for(english):
            return []
        return [m.group(0) for m in self.pattern.finditer(text)]


@dataclass(frozen=True)
class Term:
    """One row of the glossary: the notion in English, its source, and the terms to use."""

    english: str
    source: str
    ru: str
    kk: str
    bans: tuple[Ban, ...]


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    @property
    def bans(self) -> tuple[Ban, ...]:
        return tuple(ban for term in self.terms for ban in term.bans)

    def bans_for(self, language: str) -> tuple[Ban, ...]:
        return tuple(ban for ban in self.bans if ban.language == language)

    def violations(self, language: str, text: str, english: str = "") -> list[tuple[Ban, str]]:
        """Each wrong term in `text` (a translation of `english`) with the passage that uses it."""
        return [
            (ban, passage)
            for ban in self.bans_for(language)
            for passage in ban.found_in(text, english)
        ]


def compile_term(term: str) -> re.Pattern[str]:
    """A replaced term as a whole-word, case-insensitive pattern (`*` ends a stem, `…` a gap)."""
    words = term.split()
    if not words or words[0] == "…" or words[-1] == "…":
        raise GlossaryError(f"Replaced term «{term}» must start and end with a word.")
    parts: list[str] = []
    gap = False
    for word in words:
        if word == "…":
            gap = True
            continue
        if parts:
            parts.append(rf"\s+(?:\S+\s+){{0,{GAP_WORDS}}}?" if gap else r"\s+")
        gap = False
        stem = word[:-1] if word.endswith("*") else word
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    return re.compile(r"(?<![\w-])" + "".join(parts) + r"(?![\w-])", re.I)


def _tables(text: str) -> Iterator[list[list[str]]]:
    table: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                table.append(cells)
        elif table:
            yield table
            table = []


def _replaced_terms(cell: str) -> Iterator[tuple[str, str]]:
    if cell in ("", "—", "-"):
        return
    for part in cell.split(";"):
        match = _LANGUAGE_PART.match(part)
        if not match or not _QUOTED.search(match.group(2)):
            raise GlossaryError(f"Cannot read the replaced terms {part!r}: write ru «…» or kk «…».")
        for term in _QUOTED.findall(match.group(2)):
            yield match.group(1), term.strip()


def parse(text: str) -> Glossary:
    """The glossary written in `text` (the Markdown of docs/glossary.md)."""
    tables = {tuple(table[0]): table[1:] for table in _tables(text)}
    if TERMS_HEADER not in tables or EXCEPTIONS_HEADER not in tables:
        raise GlossaryError(
            f"docs/glossary.md needs a table headed {TERMS_HEADER} and one headed "
            f"{EXCEPTIONS_HEADER}."
        )
    allowed: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in tables[EXCEPTIONS_HEADER]:
        language, terms, cues, _why = row
        cue_words = tuple(c.strip() for c in cues.split(",") if c.strip())
        for term in _QUOTED.findall(terms):
            allowed[(language, term.strip())] = cue_words
    terms_out = []
    seen: set[tuple[str, str]] = set()
    for row in tables[TERMS_HEADER]:
        english, source, ru, kk, replaces = row
        bans = []
        for language, term in _replaced_terms(replaces):
            seen.add((language, term))
            bans.append(Ban(language, term, english, allowed.get((language, term), ())))
        terms_out.append(Term(english, source, ru, kk, tuple(bans)))
    unknown = set(allowed) - seen
    if unknown:
        raise GlossaryError(f"Exceptions name terms that no row replaces: {sorted(unknown)}")
    return Glossary(tuple(terms_out))


@cache
def load(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary of docs/glossary.md."""
    return parse(path.read_text(encoding="utf-8"))


def catalogue_texts(data: object) -> Iterator[tuple[str, str, str, str]]:
    """(path, language, text, English text) of every ru/kk text in a screening catalogue file."""
    yield from _walk(data, "")


def _walk(node: object, path: str) -> Iterator[tuple[str, str, str, str]]:
    if isinstance(node, dict):
        if "en" in node and any(lang in node for lang in LANGUAGES):
            for language in LANGUAGES:
                if isinstance(node.get(language), str):
                    yield path, language, node[language], str(node["en"])
            return
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("code", index) if isinstance(value, dict) else index
            yield from _walk(value, f"{path}/{name}")


def describe(violations: Iterable[tuple[Ban, str]]) -> str:
    return "; ".join(
        f"«{passage}» (replaces «{ban.term}»: {ban.english})" for ban, passage in violations
    )
