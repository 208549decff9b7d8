from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .templatetags.audit_labels import record_type


class RecordTypeFilter(admin.SimpleListFilter):
    """Record types by name ("Case"), not as model labels (`cases.case`)."""

    title = _("record type")
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        types = AuditEntry.objects.order_by().values_list("target_type", flat=True).distinct()
        return [(value, record_type(value)) for value in types if value]

    def queryset(self, request, queryset):
        return queryset.filter(target_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_username", "action", "record", "target_id", "ip_address"]
    list_filter = ["action", RecordTypeFilter]
    exclude = ["target_type"]
    readonly_fields = ["record"]

    @admin.display(description=_("record type"))
    def record(self, obj) -> str:
        return record_type(obj.target_type)

    search_fields = ["actor_username", "target_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
