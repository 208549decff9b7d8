"""The catalogues keep to docs/glossary.md: no replaced term comes back in Russian or Kazakh."""

import json
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from apps.core.glossary import GlossaryError, catalogue_texts, describe, load, parse
from apps.core.management.commands.apply_glossary import rewrite

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["ru", "kk"]
CATALOGUES = sorted((ROOT / "apps" / "screening" / "catalogue").glob("*.json"))


def _po_files(language):
    return sorted((ROOT / "locale" / language / "LC_MESSAGES").glob("*.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_in_the_catalogues_uses_a_replaced_term(language):
    glossary = load()
    wrong = []
    for path in _po_files(language):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            english = f"{entry.msgid} {entry.msgid_plural}"
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                found = glossary.violations(language, text, english)
                if found:
                    wrong.append(f"{path.name}: {entry.msgid!r}: {describe(found)}")
    assert wrong == [], (
        "Wrong terms (docs/glossary.md); run `manage.py apply_glossary` or translate:\n"
        + "\n".join(wrong)
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_no_screening_catalogue_text_uses_a_replaced_term(path):
    glossary = load()
    wrong = [
        f"{where} ({language}): {describe(found)}"
        for where, language, text, english in catalogue_texts(json.loads(path.read_text()))
        if (found := glossary.violations(language, text, english))
    ]
    assert wrong == [], "\n".join(wrong)


def test_the_catalogue_walk_finds_every_russian_and_kazakh_text():
    # Version 1: dimensions, indicators (label and question) and creditors, nothing else.
    first = next(path for path in CATALOGUES if path.name == "delphi-2009-labour+debt-1.json")
    data = json.loads(first.read_text())
    texts = list(catalogue_texts(data))
    expected = 2 * (
        len(data["dimensions"]) + 2 * len(data["indicators"]) + len(data["debt_creditors"])
    )
    assert len(texts) == expected
    assert ("/debt_creditors/recruiter/label", "kk", "Жұмысқа тартушы", "Recruiter") in texts


def test_every_glossary_term_has_a_source_and_both_languages():
    terms = load().terms
    assert len(terms) >= 10
    for term in terms:
        assert term.english and term.source and term.ru and term.kk, term
    replaced = {(ban.language, ban.term) for ban in load().bans}
    # The terms issue 17 names are all held.
    for language, term in [
        ("ru", "установленн* жертв*"),
        ("kk", "анықталған жәбірленуші*"),
        ("kk", "жәбірленуші*"),
        ("ru", "кабал*"),
        ("kk", "борыштық құлд*"),
        ("ru", "оправдыва*"),
        ("kk", "ақтамай*"),
        ("ru", "обход*"),
        ("kk", "айналып өт*"),
        ("ru", "элемент* … установлен*"),
        ("kk", "жалдаушы*"),
        ("kk", "баспана*"),
        ("ru", "социальн* работник*"),
        ("ru", "киргиз*"),
        ("kk", "әзербайжан*"),
    ]:
        assert (language, term) in replaced, term


@pytest.mark.parametrize(
    ("language", "text", "english", "caught"),
    [
        # Any ending of a stem, any case, whole words only.
        ("ru", "Признаки ВОЗМОЖНОЙ или установленной жертвы", "identified victim", True),
        ("ru", "Установленные жертвы", "Identified victims", True),
        ("ru", "в установленном порядке", "as prescribed", False),
        ("ru", "Обходы приостановки", "Overrides", True),
        ("ru", "необходимо выбрать", "must be selected", False),
        ("ru", "Элемент A (вербовка) установлен: X.", "Element A holds", True),
        ("ru", "Оправдательный приговор", "Acquitted", False),
        ("ru", "Лица с признаками долговой кабалы", "Persons flagged for debt coercion", True),
        # ... unless the English calls for the term.
        ("ru", "Долговая кабала", "Debt bondage", False),
        ("kk", "жәбірленушілердің істері", "the victims' cases", True),
        (
            "kk",
            "Осы қылмыстық іс бойынша жәбірленушілердің істері",
            "victims in this proceeding",
            False,
        ),
        ("kk", "A элементі (қанау) анықталды", "Element B holds", True),
        ("kk", "индикаторлар анықталған жоқ", "no indicators were found", False),
        ("kk", "Сізді жұмысқа жалдаған адам", "the person who recruited you", False),
        ("kk", "Жалдау кезінде", "during recruitment", True),
        ("kk", "жалдаушыда сақтаулы", "held by a recruiter", True),
    ],
)
def test_a_replaced_term_is_caught_in_every_inflection_but_only_where_it_is_wrong(
    language, text, english, caught
):
    assert bool(load().violations(language, text, english)) is caught


@pytest.mark.parametrize(
    ("language", "text", "english", "expected"),
    [
        ("ru", "Назначьте дело социальному работнику.", "caseworker", "Назначьте дело специалисту по ведению случаев."),
        ("ru", "Социальные работники и инспекторы", "Caseworkers", "Специалисты по ведению случаев и инспекторы"),
        ("ru", "или установленной жертвы", "identified", "или идентифицированной жертвы"),
        ("ru", "Основания обхода приостановки", "override", "Основания решения вопреки приостановке"),
        ("ru", "Киргизский", "Kyrgyz", "Кыргызский"),
        ("kk", "Анықталған жәбірленуші", "Identified victim", "Сәйкестендірілген құрбан"),
        ("kk", "жәбірленушілердің үлесі", "share of victims", "құрбандардың үлесі"),
        ("kk", "жәбірленушілердің істері", "victims in this proceeding", "жәбірленушілердің істері"),
        ("kk", "әлеуметтік қызметкеріне", "to a caseworker", "жағдайды жүргізу маманына"),
        ("kk", "Жалдау кезіндегі қарыз", "at recruitment", "Азғырып көндіру кезіндегі қарыз"),
        ("kk", "Бұрынғы қиындықтар (жалдауға дейін)", "before recruitment", "Бұрынғы қиындықтар (азғырып көндіруге дейін)"),
        ("kk", "жалдаушыға", "to the recruiter", "жұмысқа тартушыға"),
        ("kk", "Баспана", "Shelter", "Уақытша паналау орны"),
    ],
)  # fmt: skip
def test_the_rewrite_rules_keep_the_grammar_of_each_inflection(language, text, english, expected):
    assert rewrite(language, text, english) == expected
    assert load().violations(language, expected, english) == []


def test_apply_glossary_finds_nothing_left_to_rewrite_in_the_committed_catalogues():
    call_command("apply_glossary", check=True)


def test_a_glossary_without_its_tables_is_refused():
    with pytest.raises(GlossaryError):
        parse("# Glossary\n\nNo tables.\n")
    broken = load().terms[0]
    with pytest.raises(GlossaryError):
        parse(
            "| Term (English) | Official source | Russian | Kazakh | Replaces (wrong terms) |\n"
            "| --- | --- | --- | --- | --- |\n"
            f"| {broken.english} | {broken.source} | {broken.ru} | {broken.kk} | установленная |\n"
            "\n"
            "| Language | Replaced term | Right where the English says | Why |\n"
            "| --- | --- | --- | --- |\n"
        )
