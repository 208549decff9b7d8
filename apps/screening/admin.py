from django.contrib import admin

from .models import Screening


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    """Read-only: screenings change only through the interview and its services."""

    list_display = [
        "case",
        "status",
        "trafficking",
        "catalogue_version",
        "completed_at",
        "screened_by",
    ]
    list_filter = ["status", "trafficking", "catalogue_version"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "screened_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
