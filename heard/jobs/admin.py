"""The queue in the admin: pending, running, failed (with the error); retry and cancel."""

from django.contrib import admin
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from heard.jobs.models import WorkerHeartbeat
from heard.jobs.recovery import retry

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = (*DBTaskResultAdmin.list_display, "exception_class_path")  # type: ignore[assignment]
    actions = ["retry_jobs", "cancel_jobs"]

    @admin.action(description="Retry the selected failed jobs")
    def retry_jobs(self, request, queryset):
        jobs = list(queryset.filter(status=TaskResultStatus.FAILED))
        for job in jobs:
            retry(job)
        self.message_user(request, f"{len(jobs)} job(s) put back on the queue.")

    @admin.action(description="Cancel the selected jobs that have not started")
    def cancel_jobs(self, request, queryset):
        count, _ = queryset.filter(status=TaskResultStatus.READY).delete()
        self.message_user(request, f"{count} job(s) cancelled.")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "last_seen"]
