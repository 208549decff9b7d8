from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin_display import boolean_display

from .catalogue import get_catalogue
from .models import Screening
from .selectors import catalogue_for_version
from .templatetags.screening_labels import catalogue_label


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    """Read-only: screenings change only through the interview and its services."""

    list_display = [
        "case",
        "status",
        "trafficking",
        "catalogue",
        "completed_at",
        "screened_by",
    ]
    list_filter = ["status", "trafficking"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "screened_by"]
    exclude = ["forced_labour", "debt_coercion", "inspector_certified", "debt_creditor",
               "catalogue_version", "indicator_list"]  # fmt: skip
    readonly_fields = ["catalogue", "indicator_list_shown", "forced_labour_shown",
                       "debt_coercion_shown", "inspector_certified_shown",
                       "creditor_shown"]  # fmt: skip
    forced_labour_shown = boolean_display("forced_labour", _("forced labour"))
    debt_coercion_shown = boolean_display("debt_coercion", _("debt coercion"))
    inspector_certified_shown = boolean_display("inspector_certified", _("inspector certified"))

    @admin.display(description=_("catalogue version"))
    def catalogue(self, obj) -> str:
        return catalogue_label(obj.catalogue_version)

    @admin.display(description=_("indicator list"))
    def indicator_list_shown(self, obj) -> str:
        if not obj.indicator_list:
            return "—"
        catalogue = catalogue_for_version(obj.catalogue_version)
        return catalogue.list_name(obj.indicator_list) or "—"

    @admin.display(description=_("creditor"))
    def creditor_shown(self, obj) -> str:
        if not obj.debt_creditor:
            return "—"
        labels = {c.code: c.label_in() for c in get_catalogue(obj.catalogue_version).creditors}
        return labels.get(obj.debt_creditor, obj.debt_creditor)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
