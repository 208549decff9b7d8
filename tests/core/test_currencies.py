"""The one ISO 4217 list, with currency names from CLDR in the active language."""

from decimal import Decimal

from django.utils import translation

from apps.cases import validators
from apps.core.currencies import (
    ISO_4217,
    REGIONAL,
    currency_choices,
    currency_name,
    format_amount,
)
from apps.screening import currencies as screening_currencies


def test_the_cases_and_the_screening_share_one_list():
    assert screening_currencies.ISO_4217 is ISO_4217
    assert screening_currencies.REGIONAL is REGIONAL
    assert validators.ISO_4217 is ISO_4217
    assert set(REGIONAL) <= ISO_4217 and len(ISO_4217) > 150


def test_currency_names_in_each_language():
    assert currency_name("KZT", "kk") == "Қазақстан теңгесі"
    assert currency_name("RUB", "ru") == "российский рубль"
    assert currency_name("USD", "en") == "US Dollar"
    with translation.override("kk"):
        assert currency_name("KZT") == "Қазақстан теңгесі"
    assert currency_name("QQQ", "ru") == "QQQ"
    assert currency_name("KZT", "xx") == "Kazakhstani Tenge"


def test_choices_start_blank_then_regional_then_by_code_in_the_active_language():
    with translation.override("kk"):
        choices = currency_choices()
    assert choices[0] == ("", "—")
    assert choices[1] == ("KZT", "KZT — Қазақстан теңгесі")
    codes = [code for code, _ in choices[1:]]
    assert codes[: len(REGIONAL)] == list(REGIONAL)
    rest = codes[len(REGIONAL) :]
    assert rest == sorted(rest) and set(codes) == ISO_4217
    with translation.override("ru"):
        assert currency_choices()[2] == ("RUB", "RUB — Российский рубль")


def test_amounts_are_written_the_languages_way():
    assert format_amount(Decimal("150000"), "en") == "150,000.00"
    assert format_amount(Decimal("150000.5"), "ru") == "150\xa0000,50"
    assert format_amount(Decimal("1234567.89"), "kk") == "1\xa0234\xa0567,89"
