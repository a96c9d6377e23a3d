"""Background jobs of the learning area (django-tasks; run by `heard worker`)."""

from __future__ import annotations

from django_tasks import task

from heard.core.errors import InvalidInput


@task()
def retrain_theme_model() -> str:
    """Train theme suggestions afresh on every case with themes recorded (safe to run again)."""
    from heard.learning.suggestions import train_theme_model

    try:
        model = train_theme_model()
    except InvalidInput as error:
        return error.message
    return f"Trained on {model.examples} cases; held-out accuracy {model.accuracy}."


@task()
def run_early_warnings() -> int:
    """Record repeat contacts, look for rises and tell the heads of service (safe to run again)."""
    from heard.learning.early_warnings import raise_early_warnings
    from heard.learning.repeats import flag_repeat_contacts

    flag_repeat_contacts()
    return len(raise_early_warnings())
