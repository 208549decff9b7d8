from django.contrib import admin

from .models import Task

# Tasks are read and changed through their pages and API (scoped, versioned, audited); the
# admin lists them read-only without their titles, which may name people.


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "source", "due_on", "organization", "assigned_to"]
    list_filter = ["kind", "status", "source"]
    list_select_related = ["organization", "assigned_to"]
    fields = ["kind", "status", "source", "due_on", "organization", "case", "assigned_to"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
