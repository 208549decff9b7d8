"""Languages a screening interview may be held in (ISO 639-1), and the question texts shown."""

from django.utils.translation import gettext_lazy as _

from .catalogue import LANGUAGES as CATALOGUE_LANGUAGES

INTERVIEW_LANGUAGES = (
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
INTERVIEW_LANGUAGE_CODES = frozenset(code for code, _label in INTERVIEW_LANGUAGES)

# Interpreters in the region work from Russian, so an interview in a language the catalogue
# has no texts for is shown to them in Russian.
INTERPRETER_FALLBACK = "ru"


def question_language(interview_language: str | None) -> str:
    """The catalogue language in which the questions are read to the person."""
    if interview_language in CATALOGUE_LANGUAGES:
        return interview_language
    return INTERPRETER_FALLBACK
