"""No model's default time trips Django's fixed-default check (fields.W161) at that time of
day: the check warns when it runs within ten seconds of a fixed default, and the deployment
check (test_deploy_check) then fails — as it did once at 07:59:52."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.apps import apps
from django.db import models
from django.db.models import fields


def test_every_default_time_checks_clean_at_that_time_of_day(monkeypatch):
    checked = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.TimeField) or not field.has_default():
                continue
            default = field.get_default()
            assert isinstance(default, time)
            moment = datetime.combine(datetime(2026, 11, 26), default) - timedelta(seconds=5)
            monkeypatch.setattr(fields, "_get_naive_now", lambda moment=moment: moment)

            assert [c.id for c in field.check()] == [], f"{model.__name__}.{field.name}"
            checked.append(f"{model._meta.label}.{field.name}")

    assert {"schedules.Schedule.time_of_day", "org.Organisation.working_day_cutoff"} <= set(checked)
