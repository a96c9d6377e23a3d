"""The request ID follows a job: recorded when a request enqueues it, restored while it runs.

A job enqueued while answering a request (or while running another job) keeps that
request's ID in :class:`heard.jobs.models.JobRequest`, written with the job itself by
:class:`heard.jobs.backend.DatabaseBackend`; the worker puts it back on every log record
written while the job runs, so one ID finds the request and all the work it caused.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django_tasks.signals import task_finished, task_started

from heard.core.logs import current_request_id

logger = logging.getLogger("heard.worker")


def restore_request(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from heard.jobs.models import JobRequest

    try:  # jobs on Heard's database queue have UUIDs; other backends (tests' immediate one) not
        job_id = uuid.UUID(str(task_result.id))
    except ValueError:
        request_id = None
    else:
        request_id = (
            JobRequest.objects.filter(job_id=job_id).values_list("request_id", flat=True).first()
        )
    current_request_id.set(request_id)
    logger.info(
        "Running %s (job %s).",
        task_result.task.module_path,
        task_result.id,
        extra={"job": str(task_result.id), "task": task_result.task.module_path},
    )


def forget_request(sender: Any, task_result: Any, **kwargs: Any) -> None:
    current_request_id.set(None)


def connect() -> None:
    task_started.connect(restore_request, dispatch_uid="heard.jobs.restore_request")
    task_finished.connect(forget_request, dispatch_uid="heard.jobs.forget_request")
