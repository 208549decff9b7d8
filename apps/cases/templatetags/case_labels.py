"""Codes shown to people by name (languages as words, not ISO 639-1 codes), amounts localised."""

from django import template

from apps.cases.languages import language_name
from apps.core.currencies import currency_name, format_amount

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """`["uz", "ru"]` (or one code) as "Uzbek, Russian" in the reader's language; "—" when there are none."""
    if isinstance(codes, str):
        codes = [codes]
    names = [str(language_name(code)) for code in codes or [] if code]
    return ", ".join(names) or "—"


@register.filter
def amount(value) -> str:
    """A Decimal amount of money in the reader's language ("150 000,00" in ru and kk)."""
    return "—" if value is None else format_amount(value)


@register.filter
def currency_label(code) -> str:
    """An ISO 4217 code's name in the reader's language, for a title beside the code."""
    return currency_name(code) if code else ""
