"""The queue's backend: django-tasks-db's, with the enqueuing request's ID kept with the job.

The job row and its request ID are written in one transaction, so no worker can claim the
job before its ID is there to be logged with (see :mod:`heard.jobs.request_ids`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend

from heard.core.logs import current_request_id


class DatabaseBackend(BaseDatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from heard.jobs.models import JobRequest

        with transaction.atomic():
            job = super()._task_to_db_task(task, args, kwargs)
            request_id = current_request_id.get()
            if request_id:
                JobRequest.objects.create(job=job, request_id=request_id)
        return job
