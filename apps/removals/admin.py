from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin_display import boolean_display

from .models import Removal, RemovalNotification


@admin.register(Removal)
class RemovalAdmin(admin.ModelAdmin):
    """Read-only: removals change only through their services (the screening gate)."""

    list_display = ["case", "grounds", "proposed_on", "status", "reflection_until", "overridden"]
    list_filter = ["status", "grounds", "overridden"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    exclude = ["screened_before_decision"]
    readonly_fields = ["screened_before_decision_shown"]
    screened_before_decision_shown = boolean_display(
        "screened_before_decision", _("screened before decision")
    )

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
    exclude = []
    readonly_fields = []
