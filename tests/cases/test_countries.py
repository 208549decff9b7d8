"""Country names read the way people in Kazakhstan write them, in Russian and in Kazakh."""

import pytest
from django.utils import translation

from apps.cases.countries import COUNTRIES

KNOWN = {
    # code: (Russian, Kazakh)
    "TR": ("Турция", "Түркия"),
    "KG": ("Кыргызстан", "Қырғызстан"),
    "WF": ("Уоллис и Футуна", "Уоллис және Футуна"),
    "YT": ("Майотта", "Майотта"),
    "VC": ("Сент-Винсент и Гренадины", "Сент-Винсент және Гренадиндер"),
    "AZ": ("Азербайджан", "Әзірбайжан"),
    "TF": ("Французские Южные территории", "Францияның Оңтүстік аумақтары"),
    "US": ("Соединённые Штаты Америки", "Америка Құрама Штаттары"),
    "UZ": ("Узбекистан", "Өзбекстан"),
}


@pytest.mark.parametrize("code", sorted(KNOWN))
def test_known_country_names_read_correctly_in_russian_and_kazakh(code):
    russian, kazakh = KNOWN[code]
    with translation.override("ru"):
        assert str(COUNTRIES[code]) == russian
    with translation.override("kk"):
        assert str(COUNTRIES[code]) == kazakh


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_country_name_is_translated_into_cyrillic(language):
    with translation.override(language):
        untranslated = [c for c, name in COUNTRIES.items() if not _cyrillic(str(name))]
    assert untranslated == []


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)
