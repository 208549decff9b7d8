from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases.models import VictimStatus
from apps.core.forms import MultilineField
from apps.core.widgets import DateInput

from .models import Identification


class GroundsForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[
            (VictimStatus.POSSIBLE, VictimStatus.POSSIBLE.label),
            (VictimStatus.PRESUMED, VictimStatus.PRESUMED.label),
        ],
        widget=forms.RadioSelect,
    )
    grounds = MultilineField(
        label=_("Reasonable grounds"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you saw or heard that gives reasonable grounds to believe the person is a "
            "victim (at least 20 characters). Kept with the person's protection history."
        ),
    )


class IdentificationForm(forms.Form):
    authority = forms.CharField(label=_("Competent authority"), max_length=200)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decided_on = forms.DateField(
        label=_("Decision date"), widget=DateInput(), initial=timezone.localdate
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Identification.Outcome.choices, widget=forms.RadioSelect
    )
    document = forms.FileField(
        label=_("Decision document"),
        required=False,
        help_text=_("Optional: the decision as a PDF, JPEG or PNG file, at most 10 MB."),
    )
