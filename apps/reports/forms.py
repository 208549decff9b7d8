from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import MultilineField
from apps.core.regions import Region

from .services import MIN_YEAR


def _region_choices():
    return [("", _("All regions")), *Region.choices]


class ReportChooseForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR)
    region = forms.ChoiceField(label=_("Region"), choices=_region_choices, required=False)
    language = forms.ChoiceField(label=_("Report language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year


class WaiverForm(forms.Form):
    # TVPA §110(b)(2)(D)(ii): a written plan, sufficient resources, and credible evidence that the
    # plan would constitute significant efforts.
    plan = MultilineField(
        label=_("Written plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The written plan to begin making significant efforts: its name, who adopted it and "
            "what it commits to."
        ),
    )
    resources = MultilineField(
        label=_("Resources devoted to the plan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The budget, staff and services devoted to carrying out the plan."),
    )
    justification = MultilineField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the plan, if carried out, would constitute significant efforts, so that the "
            "automatic downgrade to Tier 3 should not apply this year. A waiver lasts at most two "
            "consecutive years. It is recorded in the audit log and shown in the report."
        ),
    )


class ReportJobForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), min_value=MIN_YEAR)
    year_to = forms.IntegerField(label=_("To year"), min_value=MIN_YEAR)
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=_region_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: the whole country."),
    )
    language = forms.ChoiceField(label=_("Report language"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and first > last:
            self.add_error("year_to", _("The last year cannot come before the first."))
        if first and last and last - first > 30:
            self.add_error("year_to", _("Choose at most 30 years at once."))
        return data
