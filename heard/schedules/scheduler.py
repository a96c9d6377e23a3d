"""Turning due schedules into jobs on the queue."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from heard.org.calendars import organisation_calendar
from heard.schedules.models import Schedule
from heard.schedules.timing import next_run


def enqueue_due_schedules(*, now: datetime | None = None) -> int:
    """Enqueue one run of every enabled schedule that is due; returns how many.

    The schedule rows are locked while they are moved on (SKIP LOCKED on PostgreSQL), so
    several workers can share the duty and each due run is enqueued once.
    """
    from heard.schedules.tasks import run_schedule

    now = now or timezone.now()
    calendar = organisation_calendar()
    enqueued = 0
    with transaction.atomic():
        for schedule in Schedule.objects.select_for_update(skip_locked=True).filter(enabled=True):
            if schedule.next_run_at is None:
                schedule.next_run_at = next_run(schedule, now, calendar)
                schedule.save(update_fields=["next_run_at"])
                continue
            if schedule.next_run_at > now:
                continue
            run_schedule.enqueue(schedule.pk, schedule.next_run_at.isoformat())
            schedule.next_run_at = next_run(schedule, now, calendar)
            schedule.save(update_fields=["next_run_at"])
            enqueued += 1
    return enqueued


def run_now(schedule: Schedule, at: datetime) -> int:
    """Run one schedule's job as of ``at`` and record the result."""
    from heard.schedules.jobs import JOBS

    count = JOBS[schedule.job](at, schedule)
    Schedule.objects.filter(pk=schedule.pk).update(
        last_run_at=timezone.now(),
        last_result=f"{count} message(s) queued for the run due at {at:%Y-%m-%d %H:%M} UTC",
    )
    return count
