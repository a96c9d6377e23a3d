from datetime import time

from django.db import migrations, models


def add(apps, schema_editor):
    Schedule = apps.get_model("schedules", "Schedule")
    if not Schedule.objects.filter(job="restriction_reviews").exists():
        Schedule.objects.create(
            job="restriction_reviews",
            frequency="daily",
            time_of_day=time(8, 30),
            working_days_only=True,
            days_before=5,
        )


class Migration(migrations.Migration):
    dependencies = [("schedules", "0002_default_schedules")]
    operations = [
        migrations.AlterField(
            model_name="schedule",
            name="job",
            field=models.CharField(
                choices=[
                    ("reminders", "Remind officers before a case is due, and on the day"),
                    ("breaches", "Escalate missed deadlines to the head of service"),
                    ("weekly_digest", "Weekly review digest for each service"),
                    ("holding_updates", "Tell customers when a response is extended or late"),
                    ("surveys", "Invite customers to a satisfaction survey after closure"),
                    ("restriction_reviews", "Remind staff to review customer restrictions"),
                    ("retention", "Apply retention schedules (hook for the data-protection work)"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(add, migrations.RunPython.noop),
    ]
