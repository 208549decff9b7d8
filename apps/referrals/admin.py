from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin_display import boolean_display

from .models import AssistanceRefusal, Service

# Referrals are not in the admin on purpose: every read of one must go through the audited
# selectors, and every change through the workflow services.


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "service_type", "capacity", "accepting"]
    list_filter = ["service_type", "accepting"]
    search_fields = ["name", "organization__name"]
    # Edits go through the directory pages, so that the audit log and versions stay right.
    readonly_fields = [f.name for f in Service._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AssistanceRefusal)
class AssistanceRefusalAdmin(admin.ModelAdmin):
    """Read-only: refusals are recorded through their service (checks, timeline, audit). The
    notes are left out: they are read on the case page, whose reads are audited."""

    list_display = ["case", "refused_on", "recorded_by", "created_at"]
    list_select_related = ["case", "recorded_by"]
    search_fields = ["case__reference"]
    exclude = ["notes", "informed_of_rights"]
    readonly_fields = ["informed_of_rights_shown"]
    informed_of_rights_shown = boolean_display(
        "informed_of_rights", _("informed of rights and services")
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
