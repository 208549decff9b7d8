from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import StayRule
from .stay import RULE_FIELDS, is_seeded_text, translated_rule_text


class StayRuleForm(forms.ModelForm):
    citizenships = forms.CharField(
        label=_("Citizenships"),
        required=False,
        help_text=_(
            "ISO 3166-1 alpha-2 codes separated by commas; leave empty for every other citizenship."
        ),
    )

    class Meta:
        model = StayRule
        fields = [*RULE_FIELDS, "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["citizenships"] = ", ".join(self.instance.citizenships or [])
        # A seeded rule's stored name and source are English (the pages show their
        # translations, stay.translated_rule_text); the fields edit the stored text, so they
        # say which language it is in.
        for name in ("name", "source"):
            if is_seeded_text(getattr(self.instance, name, "")):
                self.fields[name].widget.attrs["lang"] = "en"

    def clean_citizenships(self):
        text = self.cleaned_data.get("citizenships") or ""
        return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


@admin.register(StayRule)
class StayRuleAdmin(admin.ModelAdmin):
    """Administrators edit the stay rules; every case's legal stay follows a change."""

    form = StayRuleForm
    list_display = [
        "rule_name",
        "host_country",
        "citizenship_list",
        "stay_basis",
        "rule_source",
        "is_active",
        "updated_at",
    ]
    list_filter = ["is_active", "host_country", "stay_basis"]

    @admin.display(description=_("name"), ordering="name")
    def rule_name(self, rule):
        return translated_rule_text(rule.name)

    @admin.display(description=_("legal source"))
    def rule_source(self, rule):
        return translated_rule_text(rule.source)

    @admin.display(description=_("citizenships"))
    def citizenship_list(self, rule):
        return ", ".join(rule.citizenships) or _("every other citizenship")

    def save_model(self, request, obj, form, change):
        services.stay_rule_save(rule=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.stay_rule_delete(rule=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.stay_rule_delete(rule=rule, actor=request.user)
