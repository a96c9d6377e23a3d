"""What the queue library does not keep: which workers are alive."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive every few seconds; silence means it died."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} (last seen {self.last_seen:%H:%M:%S})"


class JobRequest(models.Model):
    """The web request that enqueued a job, so the worker logs the job under the same ID."""

    job = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="heard_request",
    )
    request_id = models.CharField(max_length=128, db_index=True)

    def __str__(self) -> str:
        return f"job {self.job_id} from request {self.request_id}"
