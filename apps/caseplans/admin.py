from django.contrib import admin

from .models import CasePlan


@admin.register(CasePlan)
class CasePlanAdmin(admin.ModelAdmin):
    # The plan's words are encrypted free text about the person: the admin lists status only.
    list_display = ["case", "status", "updated_at", "completed_at"]
    list_filter = ["status"]
    fields = ["case", "status", "created_by", "created_at", "completed_at", "completed_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
