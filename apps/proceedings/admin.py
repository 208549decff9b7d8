from django.contrib import admin

from .models import Proceeding


@admin.register(Proceeding)
class ProceedingAdmin(admin.ModelAdmin):
    list_display = ["id", "reference", "exploitation", "opened_on", "prosecuted_on", "convicted_on"]
    list_filter = ["exploitation", "official_complicity"]
    # Writes go through the services (validation, audit, timeline); the admin only reads.
    readonly_fields = [f.name for f in Proceeding._meta.fields] + ["cases"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only, so that the admin never writes its own history of a change: that would
        # keep the proceeding's name (its file number, encrypted here) in clear.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
