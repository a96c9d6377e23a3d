"""Keeping the durable queue whole when a worker dies mid-job.

The queue is django-tasks with its database backend (django-tasks-db): a job is a row,
claimed by a worker with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL. If a worker is
killed (SIGKILL, OOM, power loss) the row it claimed stays RUNNING for ever. Workers started
with ``heard worker`` beat a heart every few seconds; a RUNNING job whose worker has gone
silent is put back to READY, so another worker completes it. Jobs are written to be safe to
run again (see :mod:`heard.notify.services` for how a message is never sent twice).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from heard.jobs.models import WorkerHeartbeat

HEARTBEAT_EVERY = timedelta(seconds=2)


def presumed_dead_after() -> timedelta:
    return timedelta(seconds=settings.HEARD_WORKER_PRESUMED_DEAD_SECONDS)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{timezone.now():%H%M%S}"


def beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


def forget_worker(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned_jobs(*, now: datetime | None = None) -> int:
    """Put back to READY every RUNNING job whose worker has stopped beating; returns how many."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=now - presumed_dead_after()).values_list(
            "worker_id", flat=True
        )
    )
    recovered = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for job in running:
            last_worker = job.worker_ids[-1] if job.worker_ids else None
            if last_worker in alive:
                continue
            job.status = TaskResultStatus.READY
            job.started_at = None
            job.save(update_fields=["status", "started_at"])
            recovered += 1
    WorkerHeartbeat.objects.filter(last_seen__lt=now - presumed_dead_after() * 10).delete()
    return recovered


def retry(job: DBTaskResult) -> None:
    """Run a failed job again (from the admin)."""
    job.status = TaskResultStatus.READY
    job.started_at = None
    job.finished_at = None
    job.exception_class_path = ""
    job.traceback = ""
    job.save(
        update_fields=["status", "started_at", "finished_at", "exception_class_path", "traceback"]
    )
