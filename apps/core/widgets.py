"""Form widgets shared by every app."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A browser date picker, whose value is always ISO 8601 whatever the language.

    `<input type="date">` accepts only YYYY-MM-DD: a localised value (`07.07.1997` in Russian)
    shows blank, and saving the form unchanged erased the date. Dates shown as text stay
    localised (casemgr/formats/).
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or ISO_DATE)
