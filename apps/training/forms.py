from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
from apps.core.regions import Region
from apps.core.widgets import DateInput

from .models import Topic, TrainingSession


class TrainingSessionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TrainingSession
        fields = ["title", "topic", "date", "hours", "trainer_organization", "language", "location"]
        widgets = {
            "date": DateInput(),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "80"}),
        }

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not 0 < hours <= 80:
            raise forms.ValidationError(_("Enter the hours: more than 0, at most 80."))
        return hours


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any"))] + Topic.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class InspectorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    trained = forms.TypedChoiceField(
        label=_("Certification"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Certified")), ("no", _("Not certified"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organization.objects.filter(is_active=True, members__role="inspector").distinct(),
        empty_label=_("Any"),
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any"))] + Region.choices
    )


class AttendanceForm(forms.Form):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None)
    passed = forms.BooleanField(label=_("Passed"), required=False)
    score = forms.IntegerField(label=_("Score"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["inspector"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.username}, {user.organization})"
        )


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance sheet"),
        help_text=_("CSV or XLSX with the columns username, passed, score."),
    )
