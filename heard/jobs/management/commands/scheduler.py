"""heard scheduler: do the periodic duties without running jobs (see heard.jobs.duties).

One process beside the workers (started with ``heard worker --no-scheduler``) enqueues due
schedules and mailbox fetches and puts abandoned jobs back on the queue. Stop it with SIGTERM.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from heard.jobs.duties import run_duties

logger = logging.getLogger("heard.scheduler")


class Command(BaseCommand):
    help = "Enqueue scheduled jobs when due and recover abandoned ones (no jobs are run here)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between rounds (default 10)"
        )

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        logger.info("Scheduler started; a round every %s s.", interval)
        while not stop.is_set():
            close_old_connections()
            try:
                run_duties()
            except Exception:  # a database restart must not end the scheduler
                logger.exception("A round of duties failed; will try again.")
            stop.wait(interval)
        connection.close()
        logger.info("Scheduler stopped.")
