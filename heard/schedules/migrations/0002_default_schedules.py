from datetime import time

from django.db import migrations

DEFAULTS = [
    # job, frequency, time, weekday, working days only, days before
    ("reminders", "daily", time(8, 0), 0, True, 2),
    ("breaches", "daily", time(9, 0), 0, True, 0),
    ("weekly_digest", "weekly", time(8, 0), 0, True, 0),
    ("holding_updates", "hourly", time(0, 0), 0, False, 0),
    ("surveys", "daily", time(10, 0), 0, True, 0),
    ("retention", "weekly", time(2, 0), 6, False, 0),
]


def load(apps, schema_editor):
    Schedule = apps.get_model("schedules", "Schedule")
    if Schedule.objects.exists():
        return
    for job, frequency, at, weekday, working_days_only, days_before in DEFAULTS:
        Schedule.objects.create(
            job=job,
            frequency=frequency,
            time_of_day=at,
            weekday=weekday,
            working_days_only=working_days_only,
            days_before=days_before,
        )


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
