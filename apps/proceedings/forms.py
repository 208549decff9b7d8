from django import forms
from django.utils.translation import gettext_lazy as _

from apps.cases.selectors import case_list_for_user
from apps.core.widgets import DateInput

from .models import Exploitation, Proceeding


class ProceedingForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases"),
        queryset=None,
        help_text=_("The cases of the victims in this proceeding."),
    )
    reference = forms.CharField(
        label=_("File number"),
        max_length=64,
        required=False,
        help_text=_("The police or court file number, if known."),
    )
    exploitation = forms.ChoiceField(label=_("Type of exploitation"), choices=Exploitation.choices)
    opened_on = forms.DateField(label=_("Investigation opened on"), widget=DateInput)
    prosecuted_on = forms.DateField(label=_("Prosecuted on"), required=False, widget=DateInput)
    convicted_on = forms.DateField(label=_("Convicted on"), required=False, widget=DateInput)
    acquitted_on = forms.DateField(label=_("Acquitted on"), required=False, widget=DateInput)
    official_complicity = forms.BooleanField(
        label=_("Official complicity"),
        required=False,
        help_text=_("A public official is suspected of taking part."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, instance: Proceeding | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "cases": list(instance.cases.values_list("pk", flat=True)),
                "reference": instance.reference,
                "exploitation": instance.exploitation,
                "opened_on": instance.opened_on,
                "prosecuted_on": instance.prosecuted_on,
                "convicted_on": instance.convicted_on,
                "acquitted_on": instance.acquitted_on,
                "official_complicity": instance.official_complicity,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = case_list_for_user(user).order_by("-created_at")
        self.fields["cases"].label_from_instance = lambda case: case.reference


class ProceedingFilterForm(forms.Form):
    exploitation = forms.ChoiceField(
        label=_("Type of exploitation"),
        choices=[("", _("All"))] + list(Exploitation.choices),
        required=False,
    )
    year = forms.IntegerField(
        label=_("Year opened"), required=False, min_value=1900, max_value=2200
    )
