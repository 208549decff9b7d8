from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import MultilineField
from apps.core.widgets import DateInput

from .models import Removal


class ProposeForm(forms.Form):
    grounds = forms.ChoiceField(label=_("Grounds"), choices=Removal.Grounds.choices)
    proposed_on = forms.DateField(
        label=_("Proposed on"),
        widget=DateInput(),
        initial=timezone.localdate,
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.cases.stay import EAEU

        if case is not None and case.person.citizenship in EAEU:
            # EAEU Treaty art. 97: no work permit, so no removal for illegal employment.
            self.fields["grounds"].choices = [
                c for c in Removal.Grounds.choices if c[0] != Removal.Grounds.ILLEGAL_EMPLOYMENT
            ]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Removal.Decision.choices, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    # An override decides only to remove: "no removal" is always decided directly.
    decision = forms.ChoiceField(
        choices=[(Removal.Decision.REMOVE, Removal.Decision.REMOVE.label)],
        initial=Removal.Decision.REMOVE,
        widget=forms.HiddenInput,
    )
    grounds = forms.ChoiceField(
        label=_("Grounds of the override"),
        choices=Removal.OverrideGrounds.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The only grounds the Council of Europe Convention (art. 13(3)) allows for not "
            "observing the reflection period."
        ),
    )
    justification = MultilineField(
        label=_("Justification"),
        help_text=_(
            "Why the removal proceeds although the person is flagged (at least 50 characters); "
            "this is recorded and reported apart."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EnforceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IdentityCheckForm(forms.Form):
    reason = MultilineField(
        label=_("How did you check that they are not the same person?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the administrator compared the documents and photographs. This is "
            "recorded, audited and reported."
        ),
    )


class RemovalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Removal.Status.choices], required=False
    )
