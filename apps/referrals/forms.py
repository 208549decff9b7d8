from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Sex
from apps.core.forms import MultilineField
from apps.core.regions import Region
from apps.core.widgets import DateInput

from .models import DEFAULT_SHARED_FIELDS, Referral, ServiceType, SharedField

ANY = [("", _("Any"))]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's validation errors on the form's fields, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ServiceFilterForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Type of service"), required=False, choices=ANY + ServiceType.choices
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=ANY + Region.choices)
    language = forms.CharField(
        label=_("Language"), required=False, max_length=8, help_text=_("e.g. ru, kk, uz")
    )
    accepting = forms.TypedChoiceField(
        label=_("Accepting referrals"),
        required=False,
        choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class MatchFilterForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Type of service"), required=False, choices=ANY + ServiceType.choices
    )


def _split_codes(value: str) -> list[str]:
    return [code.strip().lower() for code in value.replace(";", ",").split(",") if code.strip()]


class ServiceForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=True, empty_label=None
    )
    service_type = forms.ChoiceField(label=_("Type of service"), choices=ServiceType.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = MultilineField(label=_("Description"), required=False)
    regions = forms.MultipleChoiceField(
        label=_("Regions covered"), choices=Region.choices, widget=forms.SelectMultiple
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=100,
        help_text=_("Two-letter codes separated by commas, e.g. ru, kk, uz."),
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, help_text=_("Places free now."))
    accepting = forms.BooleanField(label=_("Accepting referrals"), required=False)
    eligible_sexes = forms.MultipleChoiceField(
        label=_("Eligible sexes"),
        required=False,
        choices=[c for c in Sex.choices if c[0] != "unknown"],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if everyone is eligible."),
    )
    accepts_adults = forms.BooleanField(label=_("Accepts adults"), required=False)
    accepts_minors = forms.BooleanField(label=_("Accepts minors"), required=False)
    contact_hours = forms.CharField(label=_("Contact hours"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations

    def clean_languages(self) -> list[str]:
        return _split_codes(self.cleaned_data["languages"])


class ReferralForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    consent_given = forms.BooleanField(
        label=_(
            "The person gave informed consent to this referral and to sharing the data chosen below"
        ),
        required=False,
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=Referral.ConsentGivenBy.choices,
        initial=Referral.ConsentGivenBy.PERSON,
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Data that may be shared"),
        required=False,
        choices=SharedField.choices,
        initial=DEFAULT_SHARED_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Share only what the receiving service needs."),
    )
    contact_details = forms.CharField(label=_("Contact details"), max_length=300, required=False)
    reason = MultilineField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The receiving organisation reads this: write only what it needs to know."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Referral.Urgency.choices, initial=Referral.Urgency.ROUTINE
    )


class DeclineForm(forms.Form):
    reason = MultilineField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CompleteForm(forms.Form):
    outcome = MultilineField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssistanceRefusalForm(forms.Form):
    refused_on = forms.DateField(
        label=_("Date of the refusal"),
        required=False,
        initial=timezone.localdate,
        widget=DateInput(),
    )
    informed_of_rights = forms.BooleanField(
        label=_("The person was told of their rights and of the services available to them"),
        required=False,
    )
    notes = MultilineField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Optional. No personal data is needed here."),
    )
