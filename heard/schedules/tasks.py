"""Background jobs of the schedules area."""

from datetime import datetime

from django_tasks import task

from heard.schedules.models import Schedule
from heard.schedules.scheduler import run_now


@task()
def run_schedule(schedule_id: int, due_at: str) -> int:
    """Run one scheduled job as of the time it was due (safe to run more than once)."""
    schedule = Schedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        return 0
    return run_now(schedule, datetime.fromisoformat(due_at))
