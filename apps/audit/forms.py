from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput

from .models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + AuditEntry.Action.choices
    )
    target_type = forms.CharField(label=_("Record type"), required=False, max_length=100)
    target_id = forms.CharField(label=_("Record"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError(_("The start date must not be after the end date."))
        return cleaned
