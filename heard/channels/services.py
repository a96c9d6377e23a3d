"""What the channels share: the member of staff that automatic intake records contacts as."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from heard.org.calendars import get_organisation
from heard.org.models import Role
from heard.org.services import ensure_staff


def intake_user() -> Any:
    """The account that email, Open311 and imports record contacts as (no password, no sign-in).

    A front-line officer's role is enough to record a contact and note it; it sees nothing
    else. The case's timeline shows this account as who recorded it.
    """
    return ensure_staff(
        settings.HEARD_INTAKE_USERNAME,
        roles=[Role.FRONT_LINE_OFFICER],
        first_name="Automatic",
        last_name="intake",
    )


def end_of_day(day: date) -> datetime:
    """The last moment of a day in the organisation's own time zone."""
    zone = ZoneInfo(get_organisation().timezone)
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)
