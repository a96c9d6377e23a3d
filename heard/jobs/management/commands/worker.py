"""heard worker: run background jobs (django-tasks' database worker, with heartbeats).

Beside each worker a thread beats its heart and, unless ``--no-scheduler``, does the
periodic duties (:mod:`heard.jobs.duties`): puts back the jobs of workers that died,
releases messages stuck in the outbox and enqueues scheduled jobs that are due. Run as
many workers as you like, on as many machines as share the database (PostgreSQL).
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from heard.jobs import recovery
from heard.jobs.duties import run_duties

logger = logging.getLogger("heard.worker")


class Command(DatabaseWorkerCommand):
    help = "Run Heard's background jobs (mail, reminders, schedules, imports)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="duties",
            help="leave the periodic duties (schedules, recovery) to `heard scheduler`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        duties = options.pop("duties", True)
        worker_id = options.get("worker_id") or recovery.new_worker_id()
        options["worker_id"] = worker_id
        stop = threading.Event()
        started = timezone.now()
        recovery.beat(worker_id, started_at=started)
        housekeeping = threading.Thread(
            target=_housekeeping,
            args=(worker_id, started, stop, duties),
            name="heard-housekeeping",
            daemon=True,
        )
        housekeeping.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            housekeeping.join(timeout=5)
            recovery.forget_worker(worker_id)


def _housekeeping(worker_id: str, started: Any, stop: threading.Event, duties: bool) -> None:
    ticks = 0
    while not stop.wait(recovery.HEARTBEAT_EVERY.total_seconds()):
        close_old_connections()
        try:
            recovery.beat(worker_id, started_at=started)
            if duties and ticks % 5 == 0:
                run_duties()
        except Exception:  # keep beating whatever one round of housekeeping met
            logger.exception("Housekeeping failed; will try again.")
        ticks += 1
    connection.close()
