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
