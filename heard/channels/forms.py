"""The part of the triage form about how a contact came in (letters and calls)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from heard.channels.triage import Arrival
from heard.org.calendars import get_organisation
from heard.staff.forms import DateField

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class ArrivalForm(forms.Form):
    received_on = DateField(
        label="Date received",
        required=False,
        help_text=(
            "For a letter, the date it arrived (the date stamp), for example 2 3 2026. "
            "The deadlines count from it. Leave empty for today."
        ),
    )
    received_time = forms.CharField(
        label="Time received or time of the call (optional)",
        required=False,
        max_length=5,
        help_text="For example 14:05. Leave empty for the start of the day, or now if today.",
    )
    letter = forms.FileField(
        label="Scanned letter (letters and visits)",
        required=False,
        help_text="A PDF or photo of the letter.",
    )
    call_line = forms.CharField(
        label="Phone line the call came in on (calls)",
        required=False,
        max_length=100,
        help_text="For example Main switchboard or Waste line.",
    )
    call_outcome = forms.CharField(
        label="Outcome of the call (calls, optional)",
        required=False,
        max_length=500,
    )
    call_back_promised = forms.BooleanField(
        label="We promised to call them back (within 24 hours or the next working day)",
        required=False,
    )

    def clean_received_time(self) -> time | None:
        text = (self.cleaned_data.get("received_time") or "").strip()
        if not text:
            return None
        match = TIME.match(text)
        if match is None:
            raise forms.ValidationError("Enter a time like 14:05.")
        return time(int(match.group(1)), int(match.group(2)))

    def arrival(self) -> Arrival:
        data: dict[str, Any] = self.cleaned_data
        received_at = None
        day = data.get("received_on")
        moment = data.get("received_time")
        if day is not None or moment is not None:
            zone = ZoneInfo(get_organisation().timezone)
            now = datetime.now(zone)
            day = day or now.date()
            if moment is None:
                moment = now.time() if day == now.date() else time(0, 0)
            received_at = datetime.combine(day, moment, tzinfo=zone)
        return Arrival(
            received_at=received_at,
            letter=data.get("letter"),
            call_line=data.get("call_line") or "",
            call_outcome=data.get("call_outcome") or "",
            call_back_promised=bool(data.get("call_back_promised")),
        )
