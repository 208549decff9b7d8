"""Rewrite the Russian and Kazakh catalogues to the terms of docs/glossary.md.

    manage.py apply_glossary            # rewrite locale/{ru,kk}/LC_MESSAGES/*.po and the
                                        # screening catalogues, then list what is left
    manage.py apply_glossary --check    # only list the wrong terms; exit 1 if there are any

Run it after merging a branch that adds strings, then `make messages`, compilemessages and
tests/core/test_glossary.py. Two kinds of rules:

- GENERIC rules replace a wrong term wherever it occurs, with its inflections, unless the English
  text calls for it (the exceptions of docs/glossary.md);
- SENTENCES rewrite whole translations whose grammar a term swap would break; each applies only
  while the translation is still the old text, so a later improvement is never overwritten.

Whatever neither kind fixes is listed, for a person to translate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.glossary import Glossary, catalogue_texts, describe, load

Replacement = str | Callable[[re.Match[str]], str]


def _cased(new: str) -> Callable[[re.Match[str]], str]:
    """`new`, capitalised when the matched text was."""

    def replace(match: re.Match[str]) -> str:
        return new[:1].upper() + new[1:] if match.group(0)[:1].isupper() else new

    return replace


def _inflected(stem: str, new_stem: str, endings: dict[str, str]) -> Callable:
    """A rule for `stem` + one of `endings` -> `new_stem` + its ending, keeping a capital."""
    alternatives = "|".join(sorted(map(re.escape, endings), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({re.escape(stem)})({alternatives})(?![\w-])", re.I)

    def replace(match: re.Match[str]) -> str:
        new = new_stem + endings[match.group(2).lower()]
        return new[:1].upper() + new[1:] if match.group(1)[:1].isupper() else new

    return pattern, replace


# Russian «социальный работник» (a state profession) -> «специалист по ведению случаев».
_CASEWORKER_RU = {
    "ый работник": "",
    "ого работника": "а",
    "ому работнику": "у",
    "ым работником": "ом",
    "ом работнике": "е",
    "ые работники": "ы",
    "ых работников": "ов",
    "ым работникам": "ам",
    "ыми работниками": "ами",
    "ых работниках": "ах",
}
_CASEWORKER_RU_PATTERN = re.compile(
    r"(?<![\w-])([Сс])оциальн("
    + "|".join(sorted(map(re.escape, _CASEWORKER_RU), key=len, reverse=True))
    + r")(?![\w-])"
)


def _caseworker_ru(match: re.Match[str]) -> str:
    prefix = "С" if match.group(1) == "С" else "с"
    return f"{prefix}пециалист{_CASEWORKER_RU[match.group(2)]} по ведению случаев"


# Kazakh case endings: «жәбірленуші» (front vowels, ends in a vowel) -> «құрбан» (back vowels,
# ends in н); «қызметкер» -> «маманы» (a possessive compound: «жағдайды жүргізу маманы»);
# «жалдау» -> «азғырып көндіру» (back -> front vowels); «баспана» -> «уақытша паналау орны».
_VICTIM_KK = {
    "": "",
    "нің": "ның",
    "ге": "ға",
    "ні": "ды",
    "де": "да",
    "ден": "нан",
    "мен": "мен",
    "сі": "ы",
    "сінің": "ының",
    "лер": "дар",
    "лердің": "дардың",
    "лерге": "дарға",
    "лерді": "дарды",
    "лерде": "дарда",
    "лерден": "дардан",
    "лермен": "дармен",
    "лері": "дары",
}
_CASEWORKER_KK = {
    "": "маманы",
    "дің": "маманының",
    "ге": "маманына",
    "ді": "маманын",
    "де": "маманында",
    "ден": "маманынан",
    "мен": "маманымен",
    "і": "маманы",
    "іне": "маманына",
    "інің": "маманының",
    "лер": "мамандары",
    "лердің": "мамандарының",
    "лерге": "мамандарына",
    "лерді": "мамандарын",
    "лерде": "мамандарында",
    "лермен": "мамандарымен",
    "лері": "мамандары",
}
_RECRUITMENT_KK = {
    "": "",
    "ы": "і",
    "ға": "ге",
    "ды": "ді",
    "дың": "дің",
    "да": "де",
    "дан": "ден",
    "мен": "мен",
}
# «жалдаушы» and «жұмысқа тартушы» both end in -шы: the endings carry over.
_RECRUITER_KK = {
    e: e for e in ("", "ға", "да", "дан", "ны", "ның", "мен", "лар", "лардың", "ларға", "лары")
}
_SHELTER_KK = {
    "": "орны",
    "ға": "орнына",
    "да": "орнында",
    "дан": "орнынан",
    "ның": "орнының",
    "ны": "орнын",
    "лар": "орындары",
}

# (language, pattern, replacement, English words that make the old term right).
GENERIC: list[tuple[str, re.Pattern[str], Replacement, tuple[str, ...]]] = [
    # Law 110-VIII art. 16-17: a victim is identified, not «установлен».
    (
        "ru",
        re.compile(r"(?<![\w-])([Уу])становленн(ая|ой|ую|ые|ых|ым|ыми|ое)(\s+жертв)"),
        lambda m: ("И" if m.group(1) == "У" else "и") + "дентифицированн" + m.group(2) + m.group(3),
        (),
    ),
    # CoE Convention art. 13(3): a decision despite the suspension, not an evasion of it.
    ("ru", re.compile(r"(?<![\w-])[Вв] обход приостановки"), _cased("вопреки приостановке"), ()),
    (
        "ru",
        re.compile(r"(?<![\w-])[Оо]бхода приостановки"),
        _cased("решения вопреки приостановке"),
        (),
    ),
    (
        "ru",
        re.compile(r"(?<![\w-])[Оо]бходы приостановки"),
        _cased("решения вопреки приостановке"),
        (),
    ),
    (
        "ru",
        re.compile(r"(?<![\w-])[Оо]бход приостановки"),
        _cased("решение вопреки приостановке"),
        (),
    ),
    # An element is present in the answers; only a competent authority establishes it.
    (
        "ru",
        re.compile(r"((?<![\w-])[Ээ]лемент [A-CА-С] \([^)]*\)) установлен(?![\w-])"),
        r"\1 присутствует",
        (),
    ),
    (
        "ru",
        re.compile(r"(?<![\w-])[Уу]становлены все элементы"),
        _cased("присутствуют все элементы"),
        (),
    ),
    ("ru", _CASEWORKER_RU_PATTERN, _caseworker_ru, ()),
    (
        "ru",
        re.compile(r"(?<![\w-])([Кк])иргиз(ск)"),
        lambda m: m.group(1) + "ыргыз" + m.group(2),
        (),
    ),
    # Kazakh: «сәйкестендірілген» (identified) before «жәбірленуші» becomes «құрбан».
    (
        "kk",
        re.compile(r"(?<![\w-])[Аа]нықталған(\s+)(?=жәбірленуші|құрбан)", re.I),
        lambda m: _cased("сәйкестендірілген")(m) + m.group(1),
        (),
    ),
    (
        "kk",
        *_inflected("жәбірленуші", "құрбан", _VICTIM_KK),
        ("proceeding", "criminal case", "injured party"),
    ),
    (
        "kk",
        *_inflected("жалдаушы", "жұмысқа тартушы", _RECRUITER_KK),
        (),
    ),
    (
        "kk",
        *_inflected("жалдау", "азғырып көндіру", _RECRUITMENT_KK),
        ("hire", "hiring", "rent", "lease"),
    ),
    ("kk", *_inflected("баспана", "уақытша паналау ", _SHELTER_KK), ()),
    ("kk", *_inflected("әлеуметтік қызметкер", "жағдайды жүргізу ", _CASEWORKER_KK), ()),
    (
        "kk",
        re.compile(r"(?<![\w-])([Ққ])арызбен(\s+мәжбүрле)"),
        lambda m: m.group(1) + "арыз арқылы" + m.group(2),
        (),
    ),
    ("kk", re.compile(r"(?<![\w-])([Әә])зербайжан"), lambda m: m.group(1) + "зірбайжан", ()),
    ("kk", re.compile(r"(?<![\w-])Гренадин аралдары(?![\w-])"), "Гренадиндер", ()),
    (
        "kk",
        re.compile(r"((?<![\w-])[A-CА-С] элементі \([^)]*\)) анықталды(?![\w-])"),
        r"\1 бар",
        (),
    ),
]

# (language, English msgid, old translation, new translation): whole sentences.
SENTENCES: list[tuple[str, str, str, str]] = [
    # Identification (Law 110-VIII art. 16-17).
    ("ru", "Identified as a victim", "Признан жертвой", "Лицо идентифицировано в качестве жертвы"),
    (
        "kk",
        "Identified as a victim",
        "Жәбірленуші деп танылды",
        "Адам құрбан ретінде сәйкестендірілді",
    ),
    (
        "ru",
        "Choose the outcome: identified or not_a_victim.",
        "Выберите результат: identified (признан жертвой) или not_a_victim (не является жертвой).",
        "Выберите результат: identified (лицо идентифицировано в качестве жертвы) или "
        "not_a_victim (не является жертвой).",
    ),
    (
        "kk",
        "Choose the outcome: identified or not_a_victim.",
        "Нәтижені таңдаңыз: identified (жәбірленуші деп танылды) немесе not_a_victim "
        "(жәбірленуші емес).",
        "Нәтижені таңдаңыз: identified (адам құрбан ретінде сәйкестендірілді) немесе "
        "not_a_victim (құрбан емес).",
    ),
    # Debt coercion is the flag; debt bondage is one indicator of it.
    (
        "ru",
        "Persons flagged for debt coercion",
        "Лица с признаками долговой кабалы",
        "Лица с признаками долгового принуждения",
    ),
    (
        "kk",
        "Persons flagged for debt coercion",
        "Борыштық құлдық белгілері бар адамдар",
        "Қарыз арқылы мәжбүрлеу белгілері бар адамдар",
    ),
    (
        "ru",
        "Screen people for signs of trafficking, forced labour and debt coercion before any "
        "removal decision.",
        "Проверяйте людей на признаки торговли людьми, принудительного труда и долговой кабалы "
        "до любого решения о выдворении.",
        "Проверяйте людей на признаки торговли людьми, принудительного труда и долгового "
        "принуждения до любого решения о выдворении.",
    ),
    (
        "kk",
        "Screen people for signs of trafficking, forced labour and debt coercion before any "
        "removal decision.",
        "Шығарып жіберу туралы кез келген шешімге дейін адамдарды адам саудасы, мәжбүрлі еңбек "
        "және қарыз құлдығы белгілеріне тексеріңіз.",
        "Шығарып жіберу туралы кез келген шешімге дейін адамдарды адам саудасы, мәжбүрлі еңбек "
        "және қарыз арқылы мәжбүрлеу белгілеріне тексеріңіз.",
    ),
    (
        "ru",
        "Debt coercion: debt bondage was reported (%(indicators)s).",
        "Долговое принуждение: сообщается о долговой кабале (%(indicators)s).",
        "Долговое принуждение: отмечены индикаторы долговой кабалы (%(indicators)s).",
    ),
    (
        "kk",
        "Debt coercion: debt bondage was reported (%(indicators)s).",
        "Қарыз арқылы мәжбүрлеу: қарыз құлдығы туралы айтылды (%(indicators)s).",
        "Қарыз арқылы мәжбүрлеу: қарыз құлдығының индикаторлары белгіленді (%(indicators)s).",
    ),
    # A screening never treats the person as a suspect.
    (
        "ru",
        "A screening flags for human review; it never clears anyone.",
        "Скрининг выявляет случаи для проверки человеком; он никого не оправдывает.",
        "Скрининг отмечает случаи для проверки специалистом; отсутствие признаков не исключает, "
        "что человек является жертвой.",
    ),
    (
        "kk",
        "A screening flags for human review; it never clears anyone.",
        "Скрининг адамның тексеруіне белгілейді; ол ешкімді ақтамайды.",
        "Скрининг жағдайларды маманның тексеруіне белгілейді; белгілердің болмауы адамның "
        "құрбан болуы мүмкін екенін жоққа шығармайды.",
    ),
    (
        "ru",
        "No indicators were found at this interview. This does not clear the person; screen "
        "again if anything new comes to light.",
        "В этом интервью признаки не выявлены. Это не снимает подозрений; проведите скрининг "
        "снова, если появятся новые сведения.",
        "В этом интервью признаки не выявлены. Это не исключает, что человек является жертвой; "
        "проведите скрининг снова, если появятся новые сведения.",
    ),
    (
        "kk",
        "No indicators were found at this interview. This does not clear the person; screen "
        "again if anything new comes to light.",
        "Бұл сұхбатта белгілер анықталмады. Бұл адамды ақтамайды; жаңа мәлімет шықса, "
        "скринингті қайта жүргізіңіз.",
        "Бұл сұхбатта белгілер анықталмады. Бұл адамның құрбан болуы мүмкін екенін жоққа "
        "шығармайды; жаңа мәлімет шықса, скринингті қайта жүргізіңіз.",
    ),
    # Elements are present, not established.
    (
        "kk",
        "Result: presumed victim of trafficking; the recruitment, exploitation and coercion "
        "elements all hold.",
        "Қорытынды: адам саудасының болжамды құрбаны; барлық элемент — жалдау, қанау және "
        "мәжбүрлеу — анықталды.",
        "Қорытынды: адам саудасының болжамды құрбаны; барлық элемент — азғырып көндіру, қанау "
        "және мәжбүрлеу — бар.",
    ),
    # An administrator's decision despite the suspension (CoE Convention art. 13(3)).
    (
        "ru",
        "Only administrators may override a suspension.",
        "Обойти приостановку может только администратор.",
        "Решение вопреки приостановке может принять только администратор.",
    ),
    (
        "ru",
        "An administrator overrode the protection and decided: %(decision)s, on the grounds "
        "of: %(grounds)s (with a written justification).",
        "Администратор принял решение в обход защиты: %(decision)s, на основании: %(grounds)s "
        "(с письменным обоснованием).",
        "Администратор принял решение вопреки статусу защиты: %(decision)s, на основании: "
        "%(grounds)s (с письменным обоснованием).",
    ),
    (
        "ru",
        "A decision of no removal needs no override: decide it directly.",
        "Решение об отказе от выдворения не требует обхода приостановки: примите его напрямую.",
        "Отказ от выдворения не требует решения вопреки приостановке: примите решение напрямую.",
    ),
    (
        "kk",
        "Only administrators may override a suspension.",
        "Тоқтатуды тек әкімші айналып өте алады.",
        "Тоқтатуға қарамастан шешімді тек әкімші қабылдай алады.",
    ),
    (
        "kk",
        "This removal is suspended: the person is flagged as a possible, presumed or identified "
        "victim. Refer the person to services. Only a formal identification of not a victim, or "
        "an administrator's override, lets it be decided.",
        "Бұл шығарып жіберу тоқтатылды: адам ықтимал, болжамды немесе анықталған жәбірленуші "
        "ретінде белгіленген. Адамды көмек қызметтеріне жолдаңыз. Шешім тек «жәбірленуші емес» "
        "деген ресми сәйкестендіруден кейін немесе әкімшінің тоқтатуды айналып өтуімен "
        "қабылданады.",
        "Бұл шығарып жіберу тоқтатылды: адам ықтимал, болжамды немесе сәйкестендірілген құрбан "
        "ретінде белгіленген. Адамды көмек қызметтеріне жолдаңыз. Шешім тек «құрбан емес» деген "
        "ресми сәйкестендіруден кейін немесе тоқтатуға қарамастан әкімшінің шешімімен "
        "қабылданады.",
    ),
    (
        "kk",
        "This removal is suspended: the person is flagged as a possible, presumed or identified "
        "victim. The reflection period runs until %(date)s; refer the person to services. Only "
        "a formal identification of not a victim, or an administrator's override, lets it be "
        "decided.",
        "Бұл шығарып жіберу тоқтатылды: адам ықтимал, болжамды немесе анықталған жәбірленуші "
        "ретінде белгіленген. Ойлану кезеңі %(date)s дейін созылады; адамды көмек қызметтеріне "
        "жолдаңыз. Шешім тек «жәбірленуші емес» деген ресми сәйкестендіруден кейін немесе "
        "әкімшінің тоқтатуды айналып өтуімен қабылданады.",
        "Бұл шығарып жіберу тоқтатылды: адам ықтимал, болжамды немесе сәйкестендірілген құрбан "
        "ретінде белгіленген. Ойлану кезеңі %(date)s дейін созылады; адамды көмек қызметтеріне "
        "жолдаңыз. Шешім тек «құрбан емес» деген ресми сәйкестендіруден кейін немесе тоқтатуға "
        "қарамастан әкімшінің шешімімен қабылданады.",
    ),
    ("kk", "overridden", "тоқтатуды айналып шешілді", "тоқтатуға қарамастан шешілді"),
    (
        "kk",
        "override grounds",
        "тоқтатуды айналып өту негіздері",
        "тоқтатуға қарамастан шешімнің негіздері",
    ),
    (
        "kk",
        "Grounds of the override",
        "Тоқтатуды айналып өту негіздері",
        "Тоқтатуға қарамастан шешімнің негіздері",
    ),
    (
        "kk",
        "override justification",
        "тоқтатуды айналып өту негіздемесі",
        "тоқтатуға қарамастан шешімнің негіздемесі",
    ),
    (
        "kk",
        "Override justification",
        "Тоқтатуды айналып өту негіздемесі",
        "Тоқтатуға қарамастан шешімнің негіздемесі",
    ),
    (
        "kk",
        "An administrator overrode the suspension and decided: %(decision)s (with a written "
        "justification).",
        "Әкімші тоқтатуды айналып шешім қабылдады: %(decision)s (жазбаша негіздемемен).",
        "Әкімші тоқтатуға қарамастан шешім қабылдады: %(decision)s (жазбаша негіздемемен).",
    ),
    (
        "kk",
        "An administrator overrode the protection and decided: %(decision)s, on the grounds "
        "of: %(grounds)s (with a written justification).",
        "Әкімші қорғауды айналып өтіп шешім қабылдады: %(decision)s, негізі: %(grounds)s "
        "(жазбаша негіздемесімен).",
        "Әкімші қорғау мәртебесіне қарамастан шешім қабылдады: %(decision)s, негізі: "
        "%(grounds)s (жазбаша негіздемесімен).",
    ),
    (
        "kk",
        "A decision of no removal needs no override: decide it directly.",
        "Шығарып жібермеу туралы шешімге тоқтатуды айналып өту қажет емес: оны тікелей қабылдаңыз.",
        "Шығарып жібермеу туралы шешім үшін тоқтатуға қарамастан шешім қажет емес: оны тікелей "
        "қабылдаңыз.",
    ),
    (
        "kk",
        "The person is not flagged: this removal needs no override; decide it normally.",
        "Адамда жәбірленуші белгілері жоқ: бұл шығарып жіберуге тоқтатуды айналып өту қажет "
        "емес; шешімді әдеттегі тәртіппен қабылдаңыз.",
        "Адамда құрбан белгілері жоқ: бұл шығарып жіберу үшін тоқтатуға қарамастан шешім қажет "
        "емес; шешімді әдеттегі тәртіппен қабылдаңыз.",
    ),
    (
        "kk",
        "Choose the grounds of the override: %(choices)s.",
        "Тоқтатуды айналып өту негіздерін таңдаңыз: %(choices)s.",
        "Тоқтатуға қарамастан шешімнің негіздерін таңдаңыз: %(choices)s.",
    ),
    (
        "kk",
        "Write the justification for the override (at least %(count)d characters).",
        "Тоқтатуды айналып өту негіздемесін жазыңыз (кемінде %(count)d таңба).",
        "Тоқтатуға қарамастан шешімнің негіздемесін жазыңыз (кемінде %(count)d таңба).",
    ),
    (
        "kk",
        "The override is recorded.",
        "Тоқтатуды айналып өту шешімі тіркелді.",
        "Тоқтатуға қарамастан қабылданған шешім тіркелді.",
    ),
    (
        "kk",
        "Choose the grounds of the override and write the justification.",
        "Тоқтатуды айналып өту негіздерін таңдап, негіздемесін жазыңыз.",
        "Тоқтатуға қарамастан шешімнің негіздерін таңдап, негіздемесін жазыңыз.",
    ),
    (
        "kk",
        "Overrides deciding to remove a flagged person",
        "Жәбірленуші белгілері бар адамды шығарып жіберу туралы тоқтатуды айналып өткен шешімдер",
        "Құрбан белгілері бар адамды шығарып жіберу туралы тоқтатуға қарамастан қабылданған "
        "шешімдер",
    ),
    (
        "kk",
        "Overrides on grounds of public order",
        "Қоғамдық тәртіп негізінде тоқтатуды айналып өтулер",
        "Қоғамдық тәртіп негізінде тоқтатуға қарамастан қабылданған шешімдер",
    ),
    (
        "kk",
        "Overrides because victim status was claimed improperly",
        "Жәбірленуші мәртебесі негізсіз мәлімделгендіктен тоқтатуды айналып өтулер",
        "Құрбан мәртебесі негізсіз мәлімделгендіктен тоқтатуға қарамастан қабылданған шешімдер",
    ),
    ("kk", "Override", "Тоқтатуды айналып өту", "Тоқтатуға қарамастан шешім"),
    (
        "kk",
        "Administrator override",
        "Әкімшінің тоқтатуды айналып өтуі",
        "Тоқтатуға қарамастан әкімшінің шешімі",
    ),
    (
        "kk",
        "Override: decide to remove",
        "Тоқтатуды айналып өту: шығарып жіберу туралы шешім",
        "Тоқтатуға қарамастан: шығарып жіберу туралы шешім",
    ),
]

# (catalogue file stem, path of the text, language, old text, new text).
CATALOGUE_SENTENCES: list[tuple[str, str, str, str, str]] = [
    (
        "delphi-2009-labour+debt-1",
        "/indicators/dr_travel/text",
        "kk",
        "Жол жүру және жалдау шарттары туралы алдау (төлемдер, кім төлейді, қарыздар)",
        "Жол жүру және жұмысқа орналасу шарттары туралы алдау (төлемдер, кім төлейді, қарыздар)",
    ),
]


def rewrite(language: str, text: str, english: str) -> str:
    """`text` (a translation of `english`) with the GENERIC rules applied."""
    for rule_language, pattern, replacement, allowed_when in GENERIC:
        if rule_language != language:
            continue
        if any(re.search(rf"(?<!\w){re.escape(w)}", english, re.I) for w in allowed_when):
            continue
        text = pattern.sub(replacement, text)
    return text


def _po_files(root: Path) -> list[tuple[str, Path]]:
    return [
        (language, path)
        for language in ("ru", "kk")
        for path in sorted((root / "locale" / language / "LC_MESSAGES").glob("*.po"))
    ]


def _catalogue_files(root: Path) -> list[Path]:
    return sorted((root / "apps" / "screening" / "catalogue").glob("*.json"))


class Command(BaseCommand):
    help = "Rewrite the ru and kk catalogues to docs/glossary.md and list the wrong terms left."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; exit 1 if a wrong term is found."
        )

    def handle(self, *args, check: bool = False, **options):
        import polib  # a development dependency, like this command

        glossary = load()
        root = Path(settings.BASE_DIR)
        sentences = {(lang, msgid): (old, new) for lang, msgid, old, new in SENTENCES}
        changed = 0
        left: list[str] = []
        for language, path in _po_files(root):
            po = polib.pofile(str(path), wrapwidth=79)
            file_changed = 0
            for entry in po:
                if entry.obsolete:
                    continue
                english = f"{entry.msgid} {entry.msgid_plural}".strip()
                if entry.msgstr_plural:
                    forms = entry.msgstr_plural
                    new_forms = {k: self._fix(language, entry.msgid, v, english, sentences)
                                 for k, v in forms.items()}  # fmt: skip
                    if new_forms != forms:
                        file_changed += 1
                        if not check:
                            entry.msgstr_plural = new_forms
                    texts = new_forms.values()
                else:
                    new = self._fix(language, entry.msgid, entry.msgstr, english, sentences)
                    if new != entry.msgstr:
                        file_changed += 1
                        if not check:
                            entry.msgstr = new
                    texts = [new]
                for text in texts:
                    found = glossary.violations(language, text, english)
                    if found:
                        left.append(f"{path.relative_to(root)}: {entry.msgid!r}: {describe(found)}")
            if file_changed and not check:
                po.save()
            changed += file_changed
        for path in _catalogue_files(root):
            changed += self._fix_catalogue(glossary, path, root, check, left)

        verb = "would change" if check else "changed"
        self.stdout.write(f"{verb} {changed} translation(s)")
        for line in left:
            self.stdout.write(f"left: {line}")
        if check and (changed or left):
            raise CommandError(f"{changed} translation(s) to rewrite, {len(left)} wrong term(s).")

    def _fix(self, language, msgid, text, english, sentences):
        old, new = sentences.get((language, msgid), (None, None))
        if old is not None and text in (old, rewrite(language, old, english)):
            return new
        return rewrite(language, text, english) if text else text

    def _fix_catalogue(self, glossary: Glossary, path: Path, root: Path, check, left) -> int:
        data = json.loads(path.read_text(encoding="utf-8"))
        sentences = {
            (where, lang): (old, new)
            for stem, where, lang, old, new in CATALOGUE_SENTENCES
            if stem == path.stem
        }
        changed = 0
        for where, language, text, english in list(catalogue_texts(data)):
            old, new = sentences.get((where, language), (None, None))
            if old is not None and text in (old, rewrite(language, old, english)):
                fixed = new
            else:
                fixed = rewrite(language, text, english)
            if fixed != text:
                changed += 1
                _set(data, where, language, fixed)
            found = glossary.violations(language, fixed, english)
            if found:
                left.append(f"{path.relative_to(root)}: {where} ({language}): {describe(found)}")
        if changed and not check:
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return changed


def _set(data: object, where: str, language: str, text: str) -> None:
    node = data
    for step in where.strip("/").split("/"):
        if isinstance(node, list):
            node = (
                next(
                    (item for item in node if isinstance(item, dict) and item.get("code") == step),
                    None,
                )
                or node[int(step)]
            )
        else:
            node = node[step]
    node[language] = text
