from django.contrib import admin

from .models import Identification, ProtectionEvent


@admin.register(Identification)
class IdentificationAdmin(admin.ModelAdmin):
    """Read-only: identifications are recorded through the case page or the API (audited)."""

    list_display = ["authority", "decision_number", "decided_on", "outcome", "recorded_at"]
    list_filter = ["outcome"]
    readonly_fields = [
        "person",
        "case",
        "authority",
        "decision_number",
        "decided_on",
        "outcome",
        "document",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProtectionEvent)
class ProtectionEventAdmin(admin.ModelAdmin):
    list_display = ["person", "source", "from_status", "to_status", "at"]
    list_filter = ["source", "to_status"]
    exclude = ["grounds"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
