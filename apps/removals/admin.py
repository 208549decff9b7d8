from django.contrib import admin

from .models import Removal, RemovalNotification


@admin.register(Removal)
class RemovalAdmin(admin.ModelAdmin):
    """Read-only: removals change only through their services (the screening gate)."""

    list_display = ["case", "grounds", "proposed_on", "status", "reflection_until", "overridden"]
    list_filter = ["status", "grounds", "overridden"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RemovalNotification)
class RemovalNotificationAdmin(RemovalAdmin):
    list_display = ["key", "recipient", "language", "sent_at"]
    list_filter = ["language"]
    search_fields = ["recipient"]
    list_select_related = []
