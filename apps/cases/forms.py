"""HTML forms for cases: they parse input; the services validate the whole change again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.currencies import ISO_4217, currency_choices
from apps.core.forms import MultilineField
from apps.core.regions import Region
from apps.core.widgets import DateInput

from . import services
from .countries import country_choices
from .models import (
    Case,
    DocumentKind,
    Employment,
    IdentityDocument,
    Person,
    RiskLevel,
    Sector,
)
from .services import EMPLOYMENT_FIELDS
from .validators import validate_currency, validate_languages

BLANK = [("", "—")]


class LanguagesField(forms.CharField):
    """ISO 639-1 codes typed as "uz, ru"; cleaned to a list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [code.strip().lower() for code in text.replace(";", ",").split(",") if code.strip()]

    def validate(self, value):
        validate_languages(value)


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 code chosen by name; typed codes (the API's, old pages') in any case."""

    def __init__(self, **kwargs):
        super().__init__(choices=currency_choices, required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        # Not the choice check: the ISO message names the code and gives examples.
        forms.Field.validate(self, value)
        validate_currency(value)


def _offer_current_currencies(form: forms.BaseForm) -> None:
    # A code stored before the list was the 2024 one (HRK) stays selected, so saving the form
    # unchanged cannot blank it; validate_currency then asks for a current code.
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(field, CurrencyField) and value and value not in ISO_4217:
            field.choices = [*field.choices, (value, value)]


def _currency_field(model, name: str) -> CurrencyField:
    return CurrencyField(label=capfirst(model._meta.get_field(name).verbose_name))


def _citizenship_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=lambda: BLANK + country_choices(), **kwargs)


class PersonForm(forms.ModelForm):
    citizenship = _citizenship_field(label=_("Citizenship"))
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, for example: uz, ru"),
    )

    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_name",
            "middle_name",
            "sex",
            "date_of_birth",
            "citizenship",
            "languages",
            "phone",
            "email",
            "address",
            "entry_ban_country",
            "entry_ban_until",
        ]
        widgets = {"date_of_birth": DateInput(), "entry_ban_until": DateInput()}


DEBT_FIELDS = [
    "recruitment_debt_amount",
    "recruitment_debt_currency",
    "recruitment_debt_creditor",
]
CASE_FORM_FIELDS = [
    "region",
    "sector",
    "identified_via",
    "entry_date",
    "border_crossing_point",
    "stay_basis",
    "permit_valid_until",
    *DEBT_FIELDS,
]


class CaseFormMixin:
    """The case's facts, with its recruitment debt shown apart (templates/cases/_debt.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Inside the "Recruitment debt" fieldset the short labels read better.
        self.fields["recruitment_debt_amount"].label = _("Amount")
        self.fields["recruitment_debt_currency"].label = _("Currency")
        self.fields["recruitment_debt_creditor"].label = _("Owed to")
        _offer_current_currencies(self)

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in DEBT_FIELDS]

    def debt_fields(self):
        return [self[name] for name in DEBT_FIELDS]


class CaseOpenForm(CaseFormMixin, forms.ModelForm):
    recruitment_debt_currency = _currency_field(Case, "recruitment_debt_currency")

    class Meta:
        model = Case
        fields = CASE_FORM_FIELDS
        widgets = {"entry_date": DateInput(), "permit_valid_until": DateInput()}


class CaseEditForm(CaseFormMixin, forms.ModelForm):
    recruitment_debt_currency = _currency_field(Case, "recruitment_debt_currency")
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = [*CASE_FORM_FIELDS, "assigned_to"]
        widgets = {"entry_date": DateInput(), "permit_valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = services.assignable_users(
            organization_id=self.instance.organization_id
        ).order_by("last_name", "first_name")
        # The same answer as the API's to any user who may not be chosen.
        self.fields["assigned_to"].error_messages["invalid_choice"] = services.ASSIGNEE_ERROR
        self.fields["assigned_to"].label_from_instance = lambda u: u.get_full_name() or u.username


class FirstDocumentForm(forms.ModelForm):
    """An optional first document on the opening form."""

    kind = forms.ChoiceField(
        label=_("Document type"), choices=BLANK + DocumentKind.choices, required=False
    )

    class Meta:
        model = IdentityDocument
        fields = ["kind", "number", "held_by"]

    def has_document(self) -> bool:
        return bool(self.cleaned_data.get("kind"))

    def clean(self):
        data = super().clean()
        if data.get("number") and not data.get("kind"):
            self.add_error("kind", _("Choose the document type."))
        return data

    def _post_clean(self):
        # The document is validated by the service with the rest of the case.
        pass


class DocumentForm(forms.ModelForm):
    issuing_country = _citizenship_field(label=_("Issuing country"), required=False)

    class Meta:
        model = IdentityDocument
        fields = ["kind", "number", "issuing_country", "issued_on", "expires_on", "held_by"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}


class EmploymentForm(forms.ModelForm):
    promised_wage_currency = _currency_field(Employment, "promised_wage_currency")
    actual_wage_currency = _currency_field(Employment, "actual_wage_currency")

    class Meta:
        model = Employment
        fields = list(EMPLOYMENT_FIELDS)
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_current_currencies(self)


class NoteForm(forms.Form):
    text = MultilineField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = MultilineField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the case ended: assistance given, return, stay, referral…"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = MultilineField(
        label=_("Why is the case reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Reference, name or document number")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + Case.Status.choices, required=False
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=BLANK + RiskLevel.choices, required=False
    )
    overstay = forms.TypedChoiceField(
        label=_("Overstay"),
        choices=[("", "—"), ("true", _("Overstaying")), ("false", _("Not overstaying"))],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )
    region = forms.ChoiceField(label=_("Region"), choices=BLANK + Region.choices, required=False)
    citizenship = _citizenship_field(label=_("Citizenship"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + Sector.choices, required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


def apply_errors(forms_by_field: list[forms.BaseForm], exc: ValidationError) -> None:
    """Put a service's field errors on whichever form has the field, the rest on the first."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages in errors.items():
        target = next((f for f in forms_by_field if field in f.fields), None)
        for message in messages:
            if target is None:
                forms_by_field[0].add_error(None, message)
            else:
                target.add_error(field, message)
