"""ISO 4217 currencies: the one list of codes the app accepts, and their names in the active
language (from Babel's CLDR data, not gettext: CLDR names every currency in ru and kk)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from django.utils.translation import get_language

_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
# Active codes of the 2024 list: no funds codes (BOV, CHE...), metals (XAU...) or withdrawn
# currencies (HRK, SLL, ZWL), which no wage or debt is paid in.
ISO_4217: frozenset[str] = frozenset(_CODES.split())

# Offered first in forms: the currencies migrants in the region are paid and indebted in.
REGIONAL = ("KZT", "RUB", "UZS", "KGS", "TJS", "USD", "EUR", "CNY", "TRY", "AZN", "AMD", "BYN")

BLANK = ("", "—")


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def currency_name(code: str, language: str | None = None) -> str:
    """The currency's name in the language (the active one by default); the code if unknown."""
    names = _locale(language or get_language() or "en").currencies
    return names.get(code) or _locale("en").currencies.get(code) or code


@lru_cache(maxsize=8)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    rest = sorted(ISO_4217 - set(REGIONAL))
    labelled = []
    for code in [*REGIONAL, *rest]:
        name = currency_name(code, language)
        # CLDR writes Russian names in lower case, for running text; an option starts a line.
        labelled.append((code, f"{code} — {name[:1].upper()}{name[1:]}"))
    return (BLANK, *labelled)


def currency_choices() -> list[tuple[str, str]]:
    """A blank, the regional currencies, then the rest by code: "KZT — Kazakhstani Tenge"."""
    return list(_choices(get_language() or "en"))


def format_amount(amount, language: str | None = None) -> str:
    """An amount of money with two decimals the language's way: "150 000,00", "150,000.00"."""
    return format_decimal(amount, format="#,##0.00", locale=_locale(language or get_language()))
