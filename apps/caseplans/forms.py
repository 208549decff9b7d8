from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import User
from apps.core.forms import MultilineField
from apps.core.widgets import DateInput

from .models import Goal, NeedArea, NeedLevel
from .services import NOTES_MAX, TEXT_MAX


def _people(case):
    return User.objects.filter(organization_id=case.organization_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


class AssessmentForm(forms.Form):
    """One level and one note per area of need."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        needs = {n.area: n for n in plan.needs.all()} if plan else {}
        for area, label in NeedArea.choices:
            need = needs.get(area)
            self.fields[f"{area}_level"] = forms.ChoiceField(
                label=label,
                choices=NeedLevel.choices,
                initial=need.level if need else NeedLevel.NOT_ASSESSED,
            )
            self.fields[f"{area}_notes"] = MultilineField(
                label=_("Notes: %(area)s") % {"area": label},
                required=False,
                max_length=NOTES_MAX,
                initial=need.notes if need else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["version"].initial = plan.version if plan else None

    def areas(self):
        return [(self[f"{area}_level"], self[f"{area}_notes"]) for area in NeedArea.values]

    def needs(self) -> dict:
        return {
            area: {
                "level": self.cleaned_data[f"{area}_level"],
                "notes": self.cleaned_data[f"{area}_notes"],
            }
            for area in NeedArea.values
        }


class GoalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.ChoiceField(label=_("Area of need"), choices=NeedArea.choices)
    description = MultilineField(
        label=_("Goal"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput)
    first_action = MultilineField(
        label=_("First action"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _people(case)
        self.fields["version"].initial = plan.version if plan else None


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    description = MultilineField(
        label=pgettext_lazy("case plan", "Action"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _people(case)


class GoalStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(choices=Goal.Status.choices)


class ActionDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
