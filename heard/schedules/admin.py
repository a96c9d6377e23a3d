from django.contrib import admin

from heard.schedules.models import Schedule


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "job",
        "frequency",
        "time_of_day",
        "working_days_only",
        "enabled",
        "next_run_at",
        "last_run_at",
        "last_result",
    ]
    list_filter = ["job", "enabled"]
    readonly_fields = ["last_run_at", "last_result"]

    def save_model(self, request, obj, form, change):
        obj.next_run_at = None  # re-timed by the next scheduler round
        super().save_model(request, obj, form, change)
