"""A schedule's default time does not trip Django's fixed-default check at that time of day."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import fields

from heard.schedules.models import Schedule


def test_the_default_time_is_eight_and_checks_clean_at_eight(monkeypatch):
    monkeypatch.setattr(fields, "_get_naive_now", lambda: datetime(2026, 11, 26, 7, 59, 55))

    field = Schedule._meta.get_field("time_of_day")

    assert field.get_default() == time(8, 0)
    assert [check.id for check in field.check()] == []
