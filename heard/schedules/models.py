"""Periodic jobs, configured by administrators."""

from __future__ import annotations

from datetime import time

from django.db import models


def eight_in_the_morning() -> time:
    """A schedule's default time. A callable, not ``time(8, 0)``: Django's system check warns
    of a fixed time default (fields.W161) when it runs within ten seconds of that time of day,
    which failed the deployment check at 07:59:52 (test_default_times)."""
    return time(8, 0)


class Job(models.TextChoices):
    REMINDERS = "reminders", "Remind officers before a case is due, and on the day"
    BREACHES = "breaches", "Escalate missed deadlines to the head of service"
    WEEKLY_DIGEST = "weekly_digest", "Weekly review digest for each service"
    HOLDING_UPDATES = "holding_updates", "Tell customers when a response is extended or late"
    SURVEYS = "surveys", "Invite customers to a satisfaction survey after closure"
    RESTRICTION_REVIEWS = "restriction_reviews", "Remind staff to review customer restrictions"
    RETENTION = "retention", "Apply retention schedules (dry run first, then removal)"
    EARLY_WARNINGS = "early_warnings", "Look for early warnings: themes or services rising"
    RETRAIN_THEMES = "retrain_themes", "Retrain the suggested-themes model on recorded cases"
    ACTION_REMINDERS = (
        "action_reminders",
        "Remind action plan leads of review dates and actions past their completion date",
    )


class Frequency(models.TextChoices):
    EVERY_15_MINUTES = "15min", "Every 15 minutes"
    HOURLY = "hourly", "Every hour"
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Every week"


class Schedule(models.Model):
    job = models.CharField(max_length=20, choices=Job.choices)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    time_of_day = models.TimeField(
        default=eight_in_the_morning, help_text="Local time, for daily and weekly jobs."
    )
    weekday = models.PositiveSmallIntegerField(
        default=0, help_text="For weekly jobs: 0 is Monday … 6 is Sunday."
    )
    working_days_only = models.BooleanField(default=True)
    days_before = models.PositiveSmallIntegerField(
        default=2, help_text="Reminders: how many working days before the due date."
    )
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["job", "pk"]

    def __str__(self) -> str:
        return f"{self.get_job_display()} ({self.get_frequency_display().lower()})"
