from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.currencies import currency_choices

from .catalogue import Catalogue
from .engine import NO, UNKNOWN, YES
from .languages import INTERVIEW_LANGUAGES, UNKNOWN_LANGUAGE

CONSENT_FIRST = _(
    "Record the person's consent before the questions: without it the interview cannot go on."
)
ANSWER_CHOICES = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("Unknown"))]


class InterviewForm(forms.Form):
    """The screening interview: one yes/no/unknown question per indicator, debt and consent."""

    interview_language = forms.ChoiceField(
        label=_("Interview language"),
        choices=[("", "—"), *INTERVIEW_LANGUAGES],
        required=False,
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)
    consent_given = forms.BooleanField(
        label=_("The person agreed to the interview and to the recording of the answers"),
        required=False,
    )
    debt_amount = forms.DecimalField(
        label=_("Debt amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    debt_currency = forms.ChoiceField(label=_("Currency"), required=False)
    debt_creditor = forms.ChoiceField(label=_("Creditor"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, catalogue: Catalogue, indicator_list: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        # The list of indicators this interview asks (catalogue version 2; None in version 1).
        self.indicator_list = indicator_list
        self.fields["debt_currency"].choices = currency_choices()
        self.fields["debt_creditor"].choices = [
            ("", "—"),
            *[(c.code, c.label_in()) for c in catalogue.creditors],
        ]
        for indicator in catalogue.indicators_for(indicator_list):
            self.fields[indicator.code] = forms.ChoiceField(
                label=indicator.question_in(),
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=UNKNOWN,
            )

    def answers(self) -> dict[str, str]:
        """The answers given; questions left at unknown are left out (missing means unknown)."""
        return {
            code: self.cleaned_data[code]
            for code in self.catalogue.codes_for(self.indicator_list)
            if self.cleaned_data.get(code) in (YES, NO)
        }

    def debt(self) -> dict:
        amount = self.cleaned_data.get("debt_amount")
        return {
            "amount": None if amount is None else str(amount),
            "currency": self.cleaned_data.get("debt_currency") or "",
            "creditor": self.cleaned_data.get("debt_creditor") or "",
        }
