"""One person across scripts and spellings: name skeletons, blocking keys and a match score.

Pure functions, no models and no database: the callers (duplicate check, search, removal gate)
decrypt candidates in memory, score them here, and store only `hashed_blocking_keys`.

- `skeleton(name)` writes a name from any script of the region (Russian, Kazakh, Uzbek, Kyrgyz
  and Tajik Cyrillic; Uzbek and Kazakh Latin; ICAO 9303 passport and MRZ transliteration;
  Russian- and English-style romanisations) as one lossy Latin key, so that `Юлдашев`,
  `Yuldashev`, `Iuldashev`, `Yoʻldoshev` and `Йўлдошев` are all `aldashav`.
- `blocking_keys(identity)` are the plaintext keys under which candidates are looked up;
  `hashed_blocking_keys(identity)` is what may be stored (keyed hashes, CASEMGR_SEARCH_KEY).
- `score(a, b)` compares two `Identity` records and returns a `Match` (score in [0, 1] and the
  reasons); `score >= SAME_PERSON` is the same person, `REVIEW <= score < SAME_PERSON` needs a
  person to check.

The rules, tables and measured quality are in docs/identity.md. Nothing here logs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA

from apps.cases.search import normalize_document_number

# score() >= SAME_PERSON: the same person. REVIEW <= score < SAME_PERSON: a person must check.
# Chosen on the evaluation set (tests/identity/pairs.py), see docs/identity.md.
SAME_PERSON = 0.805
REVIEW = 0.72

# Cyrillic letters of every script of the region, to Latin. The Latin is a skeleton alphabet,
# not a romanisation: ж, дж and ҷ are all "j", х, ҳ and һ are all "h", the rounded and back
# vowels are folded later. Soft and hard signs vanish.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Uzbek (ў, қ, ғ above), Tajik (ҳ, ҷ, ӣ, ӯ) and Ukrainian letters seen in Russian records
    "ў": "u", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "є": "ye", "ї": "yi", "ґ": "g",
}  # fmt: skip

# Latin letters with diacritics: Kazakh Latin (2021), Uzbek and Turkic Latin variants.
# Anything else with an accent loses it (NFD, then combining marks dropped).
LATIN = {
    "á": "a", "ä": "a", "ǵ": "g", "ğ": "g", "ń": "n", "ñ": "n", "ó": "o", "ö": "o",
    "ú": "u", "ü": "u", "ū": "u", "ý": "u", "ı": "y", "ş": "sh", "ç": "ch", "ș": "sh",
    "ž": "j", "š": "sh", "č": "ch", "ō": "o", "ī": "i",
}  # fmt: skip

# Uzbek Latin writes ў as oʻ and ғ as gʻ, with any apostrophe the keyboard offers.
APOSTROPHES = "ʻʼ'‘’`´ʹ"
UZBEK_LETTER = re.compile(f"([og])[{APOSTROPHES}]")
STRAY_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")

# Feminine family names to the masculine stem: Каримова is Каримов, Ильина is Ильин,
# Достоевская is Достоевский, Нурланқызы is Нурланұлы.
GENDERED = (
    (re.compile(r"(ov|ev|yov|in|yn)a$"), r"\1"),
    (re.compile(r"skaya$"), "skiy"),
    (re.compile(r"(k[iy]zy|qizi|kizi)$"), "uly"),
    (re.compile(r"ovna$"), "ovich"),
    (re.compile(r"evna$"), "evich"),
)

# Russian ё after a consonant is romanised yo (Semyonov, Artyom) but mostly written е in
# Cyrillic (Семенов): it is е. Uzbek yo (Bakhtiyor) follows a vowel and stays.
RUSSIAN_YO = re.compile(r"(?<=[bcdfgjklmnprstvxz])yo")

# Multi-letter spellings of one sound, longest first, to one placeholder letter. After this
# step every sound is one character, so doubled letters and glides can be folded.
SOUNDS = (
    ("shch", "S"), ("sch", "S"), ("sh", "S"), ("dzh", "J"), ("dsh", "J"), ("zh", "J"),
    ("dj", "J"), ("j", "J"), ("tch", "C"), ("ch", "C"), ("kh", "H"), ("gh", "g"), ("x", "H"),
    ("h", "H"), ("ts", "T"), ("tc", "T"), ("tz", "T"), ("c", "T"), ("q", "k"), ("w", "v"),
    ("ph", "f"), ("ng", "n"),
)  # fmt: skip
SOUND_PATTERN = re.compile("|".join(re.escape(spelling) for spelling, _ in SOUNDS))
SOUND_OF = dict(SOUNDS)

# Vowels of every script and spelling fall into three classes. Uzbek o is Russian а (Дилшод,
# Дилшад), Uzbek ў is Russian у and о (Йўлдошев, Юлдашев; Хўжаев, Ходжаев): the back and
# rounded vowels are one class.
VOWEL_CLASS = str.maketrans({"o": "a", "u": "a", "y": "i"})
VOWELS = "aei"
DOUBLED = re.compile(r"(.)\1+")
# i or y next to a vowel is a glide (ю is yu or iu, я is ya or ia, ай is ay or ai).
# At the start of a word it stays before a and o (Юлия is not Алла, Яна is not Анна) and goes
# before e (Ерлан is Yerlan and ERLAN).
GLIDE = re.compile(f"(?<=[{VOWELS}])i|(?<=.)i(?=[{VOWELS}])|^i(?=e)")
# -ov and -ev, after the vowel classes -av and -ev, are one ending.
ENDING = re.compile(r"ev$")
FINE_ENDING = re.compile(r"[oe]v$")
# Name similarity: each edit (OSA: transpositions count once) costs PER_EDIT, plus its share of
# the longer name times PER_LENGTH. Tuned on the evaluation sets of seeds 1 to 4 and 15.
PER_EDIT = 0.25
PER_LENGTH = 0.5
NAME_WEIGHT = 0.6
# Each edit the skeleton hides (between spellings) costs this much of the name similarity.
HIDDEN_EDIT = 0.25
# Day and month written in the other order is a common clerical error, almost as good as equal.
DAY_MONTH_SWAP = 0.97
PLACEHOLDERS = str.maketrans({"S": "sh", "J": "j", "C": "ch", "H": "h", "T": "c"})
WORD = re.compile(r"[^\W\d_]+")


def _latin_words(name: str) -> list[str]:
    """The name in Latin letters, word by word: case, accents and script gone."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("ё", "е")
    text = UZBEK_LETTER.sub(lambda m: "u" if m.group(1) == "o" else "g", text)
    # Any other apostrophe is a soft sign (Il'ya) or the Uzbek tutuq belgisi: not a letter.
    text = STRAY_APOSTROPHE.sub("", text)
    text = "".join(CYRILLIC.get(ch, LATIN.get(ch, ch)) for ch in text)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return WORD.findall(text.replace("<", " "))


def _sounds(word: str) -> str:
    """One placeholder letter per sound, feminine endings to the masculine stem."""
    word = RUSSIAN_YO.sub("e", word)
    for pattern, masculine in GENDERED:
        word = pattern.sub(masculine, word)
    return SOUND_PATTERN.sub(lambda m: SOUND_OF[m.group(0)], word)


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The name as one Latin skeleton, equal for its spellings in every script of the region.

    Words are joined: a name split in two words or written with a hyphen is the same name.
    The skeleton is a search key, never shown and never stored readable.
    """
    return "".join(_word_skeleton(_sounds(word)) for word in _latin_words(name))


def _word_skeleton(word: str) -> str:
    word = DOUBLED.sub(r"\1", word.translate(VOWEL_CLASS))
    word = DOUBLED.sub(r"\1", GLIDE.sub("", word))
    return ENDING.sub("av", word).translate(PLACEHOLDERS)


@lru_cache(maxsize=65536)
def spelling(name: str) -> str:
    """Finer than the skeleton: the vowels and glides kept, so Оспанов is not Асанов here.

    Used only to weigh a difference the skeleton hides, never as a key.
    """
    words = (DOUBLED.sub(r"\1", _sounds(word).replace("y", "i")) for word in _latin_words(name))
    return "".join(FINE_ENDING.sub("av", word).translate(PLACEHOLDERS) for word in words)


def consonants(name: str) -> str:
    """The skeleton without its vowels: a coarser phonetic code for blocking."""
    return re.sub(f"[{VOWELS}]", "", skeleton(name))


@dataclass(frozen=True)
class Identity:
    """What is known of a person, decrypted in memory; any field may be empty."""

    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    citizenship: str = ""
    document_numbers: tuple[str, ...] = ()


def as_identity(person: object, document_numbers: Iterable[str] = ()) -> Identity:
    """An Identity from any person-like object (a cases.Person, a form's cleaned data object).

    Missing attributes are empty; a sex of "unknown" is no sex.
    """
    if isinstance(person, Identity):
        return person
    numbers = tuple(document_numbers) or tuple(getattr(person, "document_numbers", ()) or ())
    return Identity(
        given_name=getattr(person, "given_name", "") or "",
        family_name=getattr(person, "family_name", "") or "",
        middle_name=getattr(person, "middle_name", "") or "",
        date_of_birth=getattr(person, "date_of_birth", None),
        sex=getattr(person, "sex", "") or "",
        citizenship=getattr(person, "citizenship", "") or "",
        document_numbers=numbers,
    )


# Sex as recorded (cases.Sex values, or M/F from an MRZ) to one value; unknown is no value.
SEX = {"m": "male", "male": "male", "f": "female", "female": "female", "other": "other"}


def _sex(value: str) -> str:
    return SEX.get((value or "").strip().casefold(), "")


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def same_person(self) -> bool:
        return self.score >= SAME_PERSON

    @property
    def needs_review(self) -> bool:
        return REVIEW <= self.score < SAME_PERSON


def blocking_keys(person: Identity | object) -> set[str]:
    """Plaintext keys under which candidates meet; swapped names and day/month swaps meet.

    Each name is keyed with the birth year under one prefix whatever its role (so a given name
    written as the family name meets), both names together without the year (a year typo
    meets), and each document number. Never store these: store `hashed_blocking_keys`.
    """
    person = as_identity(person)
    keys: set[str] = set()
    written = [n for n in (person.given_name, person.family_name) if skeleton(n)]
    names = [skeleton(n) for n in written]
    year = person.date_of_birth.year if person.date_of_birth else None
    for name, spelled in zip(names, written, strict=True):
        if year:
            keys.add(f"name-year:{name}:{year}")
            keys.add(f"sound-year:{consonants(spelled)}:{year}")
        else:
            keys.add(f"name:{name}")
    if len(names) == 2:
        keys.add("names:" + ":".join(sorted(names)))
    for number in person.document_numbers:
        if normalized := normalize_document_number(number):
            keys.add(f"document:{normalized}")
    return keys


def hashed_blocking_keys(person: Identity | object) -> set[str]:
    """The blocking keys as keyed hashes (CASEMGR_SEARCH_KEY): the only form that is stored."""
    from apps.core.crypto import search_hash

    return {search_hash(key) for key in blocking_keys(person)}


def _name_similarity(a: str, b: str) -> float:
    """1 for equal skeletons, falling with each edit, faster for short names."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    distance = OSA.distance(a, b)
    # One edit in a long name is a typo; one edit in a three-letter name is another name.
    return max(0.0, 1.0 - PER_EDIT * distance - PER_LENGTH * distance / max(len(a), len(b)))


def _pair_similarity(a: str, b: str) -> float:
    """Similarity of two names: their skeletons, less what the skeleton folded away."""
    if not a or not b:
        return 0.0
    skeleton_a, skeleton_b = skeleton(a), skeleton(b)
    if skeleton_a == skeleton_b:
        return 1.0
    hidden = OSA.distance(spelling(a), spelling(b)) - OSA.distance(skeleton_a, skeleton_b)
    return _name_similarity(skeleton_a, skeleton_b) - HIDDEN_EDIT * max(0, hidden)


def _names(a: Identity, b: Identity) -> tuple[float, list[str]]:
    ga, fa, gb, fb = a.given_name, a.family_name, b.given_name, b.family_name
    straight = 0.45 * _pair_similarity(ga, gb) + 0.55 * _pair_similarity(fa, fb)
    # Swapped, each pair holds one family name; the worse pair weighs as a family name, which
    # keeps score(a, b) == score(b, a).
    worse, better = sorted((_pair_similarity(ga, fb), _pair_similarity(fa, gb)))
    swapped = 0.55 * worse + 0.45 * better
    if swapped > straight:
        return swapped, ["names_swapped"]
    return straight, []


def _digits_apart(x: int, y: int) -> int:
    return sum(p != q for p, q in zip(f"{x:02d}", f"{y:02d}", strict=True))


def _birth(a: date | None, b: date | None) -> tuple[float | None, list[str]]:
    """Similarity of two birth dates, or None when one is unknown."""
    if a is None or b is None:
        return None, []
    if a == b:
        return 1.0, ["date_of_birth_equal"]
    if a.year != b.year:
        return 0.0, ["date_of_birth_year_differs"]
    if (a.day, a.month) == (b.month, b.day):
        return DAY_MONTH_SWAP, ["day_month_swapped"]
    if a.month == b.month and (_digits_apart(a.day, b.day) == 1 or abs(a.day - b.day) == 1):
        return 0.75, ["date_of_birth_day_typo"]
    if a.day == b.day and (_digits_apart(a.month, b.month) == 1 or abs(a.month - b.month) == 1):
        return 0.7, ["date_of_birth_month_typo"]
    return 0.1, ["date_of_birth_differs"]


def _documents(a: Identity, b: Identity) -> bool:
    numbers = {normalize_document_number(n) for n in a.document_numbers} - {""}
    return bool(numbers & {normalize_document_number(n) for n in b.document_numbers})


def score(a: Identity | object, b: Identity | object) -> Match:
    """How likely a and b are one person, in [0, 1], with the evidence for and against."""
    a, b = as_identity(a), as_identity(b)
    names, reasons = _names(a, b)
    birth, birth_reasons = _birth(a.date_of_birth, b.date_of_birth)
    reasons += birth_reasons
    # An unknown birth date neither helps nor hurts much: a name alone is not enough.
    value = NAME_WEIGHT * names + (1 - NAME_WEIGHT) * (0.5 if birth is None else birth)
    if birth == 0.0:
        value = min(value, 0.4)
    if _sex(a.sex) and _sex(b.sex) and _sex(a.sex) != _sex(b.sex):
        value = min(value, 0.45)
        reasons.append("sex_differs")
    country_a, country_b = a.citizenship.strip().upper(), b.citizenship.strip().upper()
    same_country = not (country_a and country_b) or country_a == country_b
    if not same_country:
        value -= 0.15
        reasons.append("citizenship_differs")
    if _documents(a, b):
        reasons.append("document_number_equal")
        # The same document number of the same country is the same person unless the names
        # are altogether different (a data-entry error in the number).
        if same_country and names >= 0.5:
            value = max(value, 0.97)
        else:
            value += 0.2
    return Match(score=round(min(1.0, max(0.0, value)), 4), reasons=tuple(reasons))


def best_matches(
    person: Identity, candidates: Iterable[tuple[object, Identity]], *, threshold: float = REVIEW
) -> list[tuple[object, Match]]:
    """The candidates (key, identity) scoring at least threshold, best first."""
    scored = [(key, score(person, other)) for key, other in candidates]
    kept = [(key, match) for key, match in scored if match.score >= threshold]
    return sorted(kept, key=lambda item: item[1].score, reverse=True)


def forget() -> None:
    """Drop the decrypted names the skeleton caches hold. Callers that decrypt candidates call it
    when they are done, so that no plaintext name outlives the request in a long-lived worker."""
    skeleton.cache_clear()
    spelling.cache_clear()


# Latin to Cyrillic the Russian way, for writing a Latin name as a migration card would: the demo's
# cross-script case and the benchmark's search terms (not used for matching, which goes the
# other way, through `skeleton`).
LATIN_TO_CYRILLIC = (
    ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("yu", "ю"), ("ya", "я"), ("a", "а"),
    ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"),
    ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"),
    ("y", "й"), ("z", "з"),
)  # fmt: skip


def russian_cyrillic(name: str) -> str:
    """A Latin name written in Russian Cyrillic, letter group by letter group."""
    text = name.lower()
    for latin, cyrillic in LATIN_TO_CYRILLIC:
        text = text.replace(latin, cyrillic)
    return text.capitalize()


def latin_spelling(name: str) -> str:
    """The name in plain Latin letters as `skeleton` reads it before its sound rules (Каримов:
    karimov): the other script's spelling of a Cyrillic name, for ranking search results."""
    return " ".join(_latin_words(name))
