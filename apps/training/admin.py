from django.contrib import admin

from .models import Attendance, CertificationReminder, TrainingSession


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["inspector", "recorded_by"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "date", "hours", "trainer_organization", "language"]
    list_filter = ["topic", "language"]
    search_fields = ["title", "trainer_organization", "location"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]


@admin.register(CertificationReminder)
class CertificationReminderAdmin(admin.ModelAdmin):
    list_display = ["inspector", "certified_until", "sent_at"]
    raw_id_fields = ["inspector"]
