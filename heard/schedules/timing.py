"""When a schedule runs next, in the organisation's local time and working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from heard.schedules.models import Frequency, Schedule
from heard.workdays.engine import Calendar


def next_run(schedule: Schedule, after: datetime, calendar: Calendar) -> datetime:
    """The first run time strictly after ``after``."""
    if schedule.frequency in (Frequency.EVERY_15_MINUTES, Frequency.HOURLY):
        step = timedelta(minutes=15 if schedule.frequency == Frequency.EVERY_15_MINUTES else 60)
        epoch = datetime(2000, 1, 3, tzinfo=UTC)
        candidate = epoch + ((after - epoch) // step + 1) * step
        while schedule.working_days_only and not calendar.is_working_day(
            calendar.local_date(candidate)
        ):
            candidate += step
        return candidate
    day = after.astimezone(calendar.timezone).date()
    for _ in range(400):
        run_day = _run_day(schedule, day, calendar)
        day += timedelta(days=1)
        if run_day is None:
            continue
        candidate = datetime.combine(run_day, schedule.time_of_day, tzinfo=calendar.timezone)
        if candidate > after:
            return candidate.astimezone(UTC)
    raise ValueError(f"{schedule} never runs.")


def _run_day(schedule: Schedule, day: date, calendar: Calendar) -> date | None:
    """The day a run belonging to ``day`` happens, or None if ``day`` has no run.

    A daily job restricted to working days skips the others; a weekly one whose day is a
    bank holiday runs on the next working day instead, so no week is missed.
    """
    if schedule.frequency == Frequency.WEEKLY:
        if day.weekday() != schedule.weekday:
            return None
        return calendar.next_working_day(day) if schedule.working_days_only else day
    if schedule.working_days_only and not calendar.is_working_day(day):
        return None
    return day
