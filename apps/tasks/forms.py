from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput

from .models import FollowUp


def apply_errors(form: forms.Form, exc) -> None:
    """Show a service's validation errors on the form's fields, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    assigned_to = forms.TypedChoiceField(
        label=_("Assigned to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [("", _("Me"))] + [
            (user.pk, user.get_full_name() or user.username) for user in assignees
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FollowUpPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput())
    with_whom = forms.CharField(label=_("With whom"), max_length=200, required=False)


class FollowUpRecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea, required=False)
    next_on = forms.DateField(label=_("Next follow-up on"), widget=DateInput(), required=False)


class TaskFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    due = forms.ChoiceField(label=_("Due"), required=False)

    def __init__(self, *args, **kwargs):
        from .api import DUE_CHOICES
        from .models import Task

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any"))] + list(Task.Kind.choices)
        self.fields["due"].choices = [("", _("Any"))] + list(DUE_CHOICES)
