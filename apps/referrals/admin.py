from django.contrib import admin

from .models import Service

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
