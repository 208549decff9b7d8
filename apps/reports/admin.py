from django.contrib import admin

from .models import PublishedReport, ReportJob, TierWaiver


class ReadOnlyAdmin(admin.ModelAdmin):
    # Reports, waivers and jobs are written by the services (validation, audit); admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "language", "tier", "published_by", "published_at"]
    exclude = ["data"]


@admin.register(TierWaiver)
class TierWaiverAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "recorded_by", "recorded_at"]
    fields = ["year", "region", "plan", "resources", "justification", "recorded_by", "recorded_at"]


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "requested_by", "status", "done", "total", "created_at"]
    exclude = ["results"]
