"""Codes shown to people by name: languages as words, never ISO 639-1 codes."""

from django import template

from apps.cases.languages import language_name

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """`["uz", "ru"]` (or one code) as "Uzbek, Russian" in the reader's language; "—" when there are none."""
    if isinstance(codes, str):
        codes = [codes]
    names = [str(language_name(code)) for code in codes or [] if code]
    return ", ".join(names) or "—"
