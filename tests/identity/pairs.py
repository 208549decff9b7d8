"""A labelled evaluation set for apps.cases.identity: pairs of records, same person or not.

Built deterministically (seeded) from names of the region in their Cyrillic originals (Uzbek,
Kazakh, Kyrgyz and Tajik spellings beside the Russian registry spelling of the same name),
written with the conventions records really use: ICAO 9303 (passports and MRZ), Russian-style
romanisation, English-style romanisation, Uzbek Latin and Kazakh Latin. The transliteration
tables here are written independently of the module under test, so the evaluation does not
grade the module against itself.

Positives are one person written twice, with script changes, one-letter typos, swapped given
and family names, day/month swaps and dropped feminine endings. Negatives are the hard cases:
namesakes born in other years, twins (same family name and birth date, another given name),
near surnames on the same birthday (Karimov and Kamilov), the same name with the other sex,
and unrelated people of the same group.

`pairs(seed)` returns [(Identity, Identity, same_person: bool, kind: str), ...].
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from apps.cases.identity import Identity

# Each name is (native spelling, Russian registry spelling); one string when they are the same.
# fmt: off
GROUPS = {
    "UZ": {
        "m": ["Дилшод", "Жамшид", ("Ботир", "Батыр"), "Шерзод", ("Улуғбек", "Улугбек"), "Отабек",
              "Фаррух", ("Баҳтиёр", "Бахтияр"), ("Ғайрат", "Гайрат"), "Азиз", "Рустам", "Санжар",
              ("Шоҳрух", "Шахрух"), ("Жаҳонгир", "Джахонгир"), "Зафар", "Элдор", "Нодир",
              ("Абдулла", "Абдула"), ("Мўмин", "Мумин"), ("Бобур", "Бабур"), "Тимур", "Ислом",
              ("Ўткир", "Уткир"), ("Шуҳрат", "Шухрат"), "Сардор"],
        "f": ["Дилноза", ("Гулнора", "Гульнара"), "Малика", "Нилуфар", "Мафтуна",
              ("Шаҳноза", "Шахноза"), "Зарина", "Феруза", ("Ўғилой", "Угилой"), "Нигора",
              "Севара", ("Мохира", "Махира"), "Дилдора", "Лола", "Юлдуз"],
        "family": [("Йўлдошев", "Юлдашев"), "Каримов", ("Хўжаев", "Ходжаев"),
                   ("Раҳимов", "Рахимов"), ("Тошматов", "Ташматов"), ("Усмонов", "Усманов"),
                   "Абдуллаев", ("Холматов", "Халматов"), "Эргашев", ("Қодиров", "Кадыров"),
                   "Мирзаев", ("Ғуломов", "Гуламов"), ("Собиров", "Сабиров"), "Турсунов",
                   ("Исмоилов", "Исмаилов"), ("Аҳмедов", "Ахмедов"), "Умаров", "Саидов",
                   "Шарипов", ("Қосимов", "Касымов"), ("Рўзиев", "Рузиев"), "Камилов",
                   ("Норматов", "Нарматов"), ("Ҳайдаров", "Хайдаров"), "Юсупов", "Бекмуродов",
                   ("Тўхтаев", "Тухтаев"), "Эшонқулов"],
    },
    "KZ": {
        "m": [("Нұрлан", "Нурлан"), "Ерлан", "Айдос", "Данияр", ("Асқар", "Аскар"), "Бауыржан",
              "Ержан", ("Қайрат", "Кайрат"), ("Серік", "Серик"), ("Мұрат", "Мурат"), "Арман",
              ("Ерұлан", "Ерулан"), ("Дәулет", "Даулет"), "Мейрам", ("Жұлдызбек", "Жулдызбек"),
              "Темірлан", "Нұржан", "Айбол", "Бекзат", ("Ғалым", "Галым")],
        "f": [("Әлия", "Алия"), ("Айгүл", "Айгуль"), ("Гүлнар", "Гульнар"), "Жанар", "Динара",
              ("Сәуле", "Сауле"), "Меруерт", ("Ақбота", "Акбота"), ("Әйгерім", "Айгерим"),
              ("Мөлдір", "Молдир"), "Аружан", ("Қарлығаш", "Карлыгаш"), "Жансая", "Анель"],
        "family": [("Жақсылықов", "Жаксылыков"), ("Нұрланов", "Нурланов"), ("Сейітов", "Сеитов"),
                   ("Әбенов", "Абенов"), "Оспанов", ("Төлеуов", "Тулеуов"), "Ахметов",
                   ("Серікбаев", "Серикбаев"), ("Жұмабаев", "Жумабаев"), ("Қасенов", "Касенов"),
                   ("Бекмұхамедов", "Бекмухамедов"), ("Смағұлов", "Смагулов"),
                   ("Әлімов", "Алимов"), "Омаров", "Ермеков", ("Құдайбергенов", "Кудайбергенов"),
                   ("Сәрсенбаев", "Сарсенбаев"), ("Төлегенов", "Тулегенов"), "Байжанов",
                   ("Ғабитов", "Габитов"), "Искаков", ("Мұқанов", "Муканов"), "Есенов"],
    },
    "KG": {
        "m": ["Бакыт", "Азамат", "Нурбек", "Мирлан", "Айбек", ("Чыңгыз", "Чингиз"), "Эрмек",
              "Улан", "Талант", ("Бекжан", "Бекжан"), "Медер", "Кубаныч", "Жоомарт", "Нурсултан"],
        "f": ["Жылдыз", "Айпери", "Бермет", "Чолпон", ("Нургүл", "Нургуль"), "Айзада", "Гулзат",
              "Канышай", "Жибек", "Элнура", "Асель"],
        "family": ["Токтогулов", "Абдыкадыров", ("Осмонов", "Османов"), "Сыдыков", "Мамытов",
                   "Жээнбеков", "Бакиев", "Тыналиев", ("Үсөнов", "Усенов"),
                   ("Кочкоров", "Кочкаров"), "Джумабеков", "Эсенгулов", ("Өмүрбеков", "Омурбеков"),
                   "Сатыбалдиев", "Асанов", "Кадыркулов", "Болотбеков", "Турдубаев"],
    },
    "TJ": {
        "m": [("Фарҳод", "Фарход"), ("Ҷамшед", "Джамшед"), ("Сӯҳроб", "Сухроб"), "Искандар",
              "Далер", ("Муҳаммад", "Мухаммад"), ("Фирӯз", "Фируз"), "Умед", ("Шаҳром", "Шахром"),
              ("Бахтовар", "Бахтовар"), "Алишер", ("Рустам", "Рустам"), "Исмоил", "Манучехр",
              ("Ҳусейн", "Хусейн")],
        "f": ["Ситора", "Мадина", "Парвина", "Нигина", ("Шаҳло", "Шахло"), "Гулрухсор",
              ("Меҳрангез", "Мехрангез"), "Тахмина", "Фарзона", "Заррина", "Сабрина"],
        "family": [("Раҳмонов", "Рахмонов"), "Назаров", "Шарифов", "Сафаров",
                   ("Ҷӯраев", "Джураев"), ("Қурбонов", "Курбанов"), ("Ҳакимов", "Хакимов"),
                   "Мирзоев", "Бобоев", ("Раҳимзода", "Рахимзода"), "Одинаев", ("Ғафуров", "Гафуров"),
                   ("Давлатов", "Давлатов"), ("Султонов", "Султанов"), "Нуриддинов",
                   ("Зокиров", "Закиров"), "Абдуллоев", ("Ашӯров", "Ашуров"), "Файзуллоев"],
    },
    "RU": {
        "m": ["Александр", "Сергей", "Дмитрий", "Алексей", "Евгений", "Юрий", "Андрей", "Николай",
              "Игорь", "Илья", "Максим", "Владимир", "Павел", "Артём", "Михаил", "Олег",
              "Вячеслав", "Константин", "Григорий", "Фёдор"],
        "f": ["Анастасия", "Юлия", "Наталья", "Ольга", "Татьяна", "Мария", "Екатерина", "Елена",
              "Ксения", "Яна", "Ирина", "Светлана", "Дарья", "Людмила", "Валентина", "Софья"],
        "family": ["Иванов", "Кузнецов", "Смирнов", "Попов", "Соколов", "Лебедев", "Козлов",
                   "Новиков", "Морозов", "Петров", "Волков", "Соловьёв", "Васильев", "Зайцев",
                   "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
                   "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Комаров", "Орлов", "Киселёв",
                   "Макаров", "Андреев", "Ильин", "Гусев", "Кудрявцев", "Щербаков", "Журавлёв",
                   "Цветков", "Григорьев", "Ершов", "Хохлов", "Чернов", "Дьячков"],
    },
}

# Near surnames on the same birthday: other families, two or more letters apart in Cyrillic, so
# that no single typo turns one into the other. (Names one letter apart, such as Каримов and
# Касимов, cannot be told from a typo by the names alone: see docs/identity.md.)
NEAR_SURNAMES = [
    ("Каримов", "Камилов"), ("Рахимов", "Рахманов"), ("Назаров", "Насыров"),
    ("Юсупов", "Юнусов"), ("Касымов", "Хасанов"), ("Шарипов", "Шарафов"), ("Абенов", "Абилов"),
    ("Оспанов", "Асанов"), ("Хакимов", "Хамидов"), ("Петров", "Пестов"), ("Соколов", "Сомов"),
    ("Зайцев", "Зуев"), ("Турсунов", "Тулунов"), ("Умаров", "Усманов"), ("Мирзаев", "Мирсаидов"),
    ("Эргашев", "Эркинов"), ("Мамытов", "Мамбетов"), ("Ермеков", "Ержанов"),
    ("Смирнов", "Свиридов"), ("Козлов", "Котов"), ("Попов", "Поляков"), ("Сыдыков", "Садиков"),
    ("Жумабаев", "Жумагулов"), ("Кадыров", "Кабилов"), ("Иванов", "Ибаков"),
]

# Given names of one root for a man and a woman: a brother and a sister, or twins.
SEXED_PAIRS = [
    ("Евгений", "Евгения"), ("Александр", "Александра"), ("Валентин", "Валентина"),
    ("Ян", "Яна"), ("Дилшод", "Дилшода"), ("Азиз", "Азиза"), ("Малик", "Малика"),
    ("Зарин", "Зарина"), ("Нодир", "Нодира"), ("Фарид", "Фарида"), ("Даниял", "Данияра"),
    ("Асель", "Асель"), ("Жанар", "Жанар"), ("Мадин", "Мадина"), ("Феруз", "Феруза"),
]
# fmt: on

# --- transliteration conventions, Cyrillic (lower case) to Latin ---------------------------

_COMMON = dict(zip("абвгдзиклмнопрстуф", "abvgdziklmnoprstuf", strict=True))

ICAO = {
    **_COMMON, "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ў": "u", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u",
}  # fmt: skip
RUSSIAN_STYLE = {
    **ICAO, "ё": "yo", "й": "y", "ъ": "", "ь": "'", "ю": "yu", "я": "ya", "ҳ": "kh",
    "ҷ": "dzh", "ғ": "gh",
}  # fmt: skip
ENGLISH_STYLE = {
    **RUSSIAN_STYLE, "ж": "j", "щ": "sch", "ь": "", "ҷ": "j", "ў": "o", "қ": "q", "ҳ": "h",
}  # fmt: skip
UZBEK_LATIN = {
    **_COMMON, "е": "e", "ё": "yo", "ж": "j", "й": "y", "х": "x", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "ʼ", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ў": "oʻ", "қ": "q", "ғ": "gʻ", "ҳ": "h", "ә": "a", "ң": "ng", "ө": "o", "ұ": "u",
    "ү": "u", "і": "i", "ҷ": "j", "ӣ": "i", "ӯ": "u", "һ": "h",
}  # fmt: skip
KAZAKH_LATIN = {
    **_COMMON, "е": "e", "ё": "io", "ж": "j", "й": "i", "х": "h", "ц": "ts", "ч": "ç",
    "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "iý", "я": "ia",
    "ә": "á", "ғ": "ǵ", "қ": "q", "ң": "ń", "ө": "ó", "ұ": "u", "ү": "ú", "у": "ý", "һ": "h",
    "і": "i", "ў": "ý", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "ý",
}  # fmt: skip
CONVENTIONS = {
    "icao": ICAO,
    "russian": RUSSIAN_STYLE,
    "english": ENGLISH_STYLE,
    "uzbek": UZBEK_LATIN,
    "kazakh": KAZAKH_LATIN,
}
APOSTROPHE_VARIANTS = ["ʻ", "'", "‘", "’", "`", "ʼ"]
VOWELS = set("аеёиоуыэюяәөұүіўӣӯ")


def transliterate(text: str, convention: str, rng: random.Random) -> str:
    table = CONVENTIONS[convention]
    out = []
    lower = text.lower()
    for i, ch in enumerate(lower):
        latin = table.get(ch, ch)
        # Russian and English styles write е as ye at the start and after a vowel.
        if (
            ch == "е"
            and convention in {"russian", "english", "uzbek"}
            and (i == 0 or lower[i - 1] in VOWELS | {"ь", "ъ"})
        ):
            latin = "ye"
        # Uzbek Latin apostrophes come in every shape keyboards offer.
        if convention == "uzbek" and "ʻ" in latin:
            latin = latin.replace("ʻ", rng.choice(APOSTROPHE_VARIANTS))
        out.append(latin)
    result = "".join(out)
    if convention == "icao":
        result = result.upper().replace(" ", "<").replace("-", "<")
    return result.title() if convention != "icao" else result


# --- records --------------------------------------------------------------------------------


def _spellings(name) -> tuple[str, ...]:
    return name if isinstance(name, tuple) else (name,)


def _conventions_for(group: str) -> list[str]:
    extra = {"UZ": ["uzbek"], "TJ": ["uzbek"], "KZ": ["kazakh"], "KG": ["kazakh"]}.get(group, [])
    return ["icao", "russian", "english", *extra]


def _feminine(family: str) -> str:
    if family.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return family + "а"
    return family  # -zoda, -uly: one form for both sexes


def _write(name: str, group: str, rng: random.Random, *, cyrillic_ok: bool = True) -> str:
    """One written form of a Cyrillic name: native or registry Cyrillic, or a Latin spelling."""
    if cyrillic_ok and rng.random() < 0.35:
        return name
    return transliterate(name, rng.choice(_conventions_for(group)), rng)


def _typo(text: str, rng: random.Random) -> str:
    """One letter substituted, dropped, added or two letters transposed."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    cyrillic = any("а" <= ch.lower() <= "я" for ch in text)
    letters = "абвгдеклмнопрстуы" if cyrillic else "aeiouklmnrsty"
    if text.isupper():
        letters = letters.upper()
    kind = rng.choice(["substitute", "drop", "add", "transpose"])
    if kind == "substitute":
        return text[:i] + rng.choice(letters) + text[i + 1 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "add":
        return text[:i] + rng.choice(letters) + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _birth_date(rng: random.Random, *, swappable: bool = False) -> date:
    while True:
        value = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 45 * 365))
        if not swappable or (value.day <= 12 and value.day != value.month):
            return value


def _document(rng: random.Random, group: str) -> str:
    return f"{group[:1]}{rng.choice('ABCKN')}{rng.randrange(10**6, 10**7)}"


def _person(rng: random.Random, group: str | None = None, sex: str | None = None) -> dict:
    group = group or rng.choice(list(GROUPS))
    sex = sex or rng.choice("mf")
    return {
        "group": group,
        "sex": sex,
        "given": rng.choice(GROUPS[group][sex]),
        "family": rng.choice(GROUPS[group]["family"]),
        "dob": _birth_date(rng),
        "document": _document(rng, group),
    }


def _record(person: dict, rng: random.Random, **variants) -> Identity:
    """A record of the person as one office wrote it: a spelling per name, maybe variants."""
    group = person["group"]
    given = rng.choice(_spellings(person["given"]))
    family = rng.choice(_spellings(person["family"]))
    if person["sex"] == "f" and not variants.get("masculine_ending"):
        family = _feminine(family)
    cyrillic_ok = rng.random() < 0.5  # one office writes both names in one script
    given = _write(given, group, rng, cyrillic_ok=cyrillic_ok)
    family = _write(family, group, rng, cyrillic_ok=cyrillic_ok)
    if variants.get("typo"):
        if rng.random() < 0.5:
            given = _typo(given, rng)
        else:
            family = _typo(family, rng)
    if variants.get("swap"):
        given, family = family, given
    dob = person["dob"]
    if variants.get("day_month_swap"):
        dob = date(dob.year, dob.day, dob.month)
    documents = (person["document"],) if variants.get("document") else ()
    sex = "" if variants.get("no_sex") else person["sex"].upper()
    return Identity(
        given_name=given,
        family_name=family,
        date_of_birth=None if variants.get("no_dob") else dob,
        sex=sex,
        citizenship=group,
        document_numbers=documents,
    )


def _positive(rng: random.Random) -> tuple[Identity, Identity, bool, str]:
    person = _person(rng)
    variant = rng.choice(
        ["script", "typo", "swap", "day_month_swap", "masculine_ending", "document", "mixed"]
    )
    if variant in {"day_month_swap", "mixed"}:
        person["dob"] = _birth_date(rng, swappable=True)
    if variant == "masculine_ending":
        person["sex"] = "f"
        person["given"] = rng.choice(GROUPS[person["group"]]["f"])
    both_documents = rng.random() < 0.3
    a = _record(person, rng, document=both_documents)
    if variant == "mixed":
        chosen = rng.sample(["typo", "swap", "day_month_swap"], 2)
        b = _record(person, rng, document=both_documents, **dict.fromkeys(chosen, True))
    elif variant == "document":
        a = _record(person, rng, document=True)
        b = _record(person, rng, document=True, typo=True, no_sex=True)
    elif variant == "script":
        b = _record(person, rng, document=both_documents)
    else:
        b = _record(person, rng, document=both_documents, **{variant: True})
    return a, b, True, variant


def _negative(rng: random.Random) -> tuple[Identity, Identity, bool, str]:
    kind = rng.choice(["namesake", "twin", "near_surname", "other_sex", "unrelated"])
    person = _person(rng)
    other = dict(person, document=_document(rng, person["group"]))
    if kind == "namesake":
        while other["dob"].year == person["dob"].year:
            other["dob"] = _birth_date(rng)
    elif kind == "twin":
        other["sex"] = rng.choice("mf")
        choices = [
            n
            for n in GROUPS[person["group"]][other["sex"]]
            if not set(_spellings(n)) & set(_spellings(person["given"]))
        ]
        other["given"] = rng.choice(choices)
    elif kind == "near_surname":
        first, second = rng.choice(NEAR_SURNAMES)
        person["family"], other["family"] = (
            (first, second) if rng.random() < 0.5 else (second, first)
        )
    elif kind == "other_sex":
        male, female = rng.choice(SEXED_PAIRS)
        person.update(sex="m", given=male)
        other.update(sex="f", given=female)
    else:
        other = _person(rng)
    a = _record(person, rng)
    b = _record(other, rng, **({"swap": True} if rng.random() < 0.1 else {}))
    return a, b, False, kind


def pairs(seed: int = 15, count: int = 1200) -> list[tuple[Identity, Identity, bool, str]]:
    """`count` labelled pairs, half the same person, half not, the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append(_positive(rng) if i % 2 == 0 else _negative(rng))
    return out
