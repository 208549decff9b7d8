"""Languages a screening interview may be held in (ISO 639-1), and the question texts shown.

The interface stays in en/ru/kk (`settings.LANGUAGES`); Uzbek, Tajik and Kyrgyz are interview
languages only: the catalogue (version 2) has the person-facing texts in them, and the page
shows the inspector's own language beside them.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .catalogue import INTERPRETER_LANGUAGE, LANGUAGES, Catalogue

# Each language's name in itself, shown beside the translated name so that the person can
# point at their own language (uz in its official Latin script).
ENDONYMS = {"uz": "Oʻzbekcha", "tg": "Тоҷикӣ", "ky": "Кыргызча"}


def _label(code: str, name):
    if code in ENDONYMS:
        return format_lazy("{} · {}", name, ENDONYMS[code])
    return name


INTERVIEW_LANGUAGES = tuple(
    (code, _label(code, name))
    for code, name in (
        ("ru", _("Russian")),
        ("kk", _("Kazakh")),
        ("uz", _("Uzbek")),
        ("tg", _("Tajik")),
        ("ky", _("Kyrgyz")),
        ("tk", _("Turkmen")),
        ("az", _("Azerbaijani")),
        ("hy", _("Armenian")),
        ("uk", _("Ukrainian")),
        ("zh", _("Chinese")),
        ("en", _("English")),
        ("other", _("Other language")),
    )
)
INTERVIEW_LANGUAGE_CODES = frozenset(code for code, _label in INTERVIEW_LANGUAGES)

# Interpreters in the region work from Russian, so an interview in a language the catalogue
# has no texts for is shown to them in Russian.
INTERPRETER_FALLBACK = INTERPRETER_LANGUAGE

UNKNOWN_LANGUAGE = _("Choose the language of the interview from the list (ISO 639-1 code).")


def question_language(interview_language: str | None, catalogue: Catalogue | None = None) -> str:
    """The catalogue language in which the questions are read to the person."""
    languages = catalogue.languages if catalogue is not None else LANGUAGES
    if interview_language in languages:
        return interview_language
    return INTERPRETER_FALLBACK
