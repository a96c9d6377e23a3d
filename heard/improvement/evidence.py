"""Live evidence: figures computed from Heard's own records whenever they are shown.

Each measure is one or two aggregate queries over the period saved with the evidence — the last
12 months or the financial year to date (the organisation's local days, ending today) — and
says its period and when it was computed. The definitions follow the
performance reports (``heard.reporting.figures``): a complaint stage is *answered* when its
response was sent in the period (a withdrawn complaint was not answered), *within target* when
the response went on or before the stage's target date, and *upheld* counts upheld and partly
upheld of the complaints decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from heard.cases.models import AccessFormat, Case, Channel, Kind, Outcome, StageRecord
from heard.org.calendars import organisation_calendar
from heard.portal.models import SurveyResponse

TWELVE_MONTHS = "12_months"
FINANCIAL_YEAR = "financial_year"
# The periods a live figure may be saved with: (key, what a person calls it).
PERIODS = {
    TWELVE_MONTHS: "The last 12 months, to the day it is shown",
    FINANCIAL_YEAR: "This financial year to date (from 1 April)",
}


@dataclass(frozen=True)
class Window:
    """The last 12 months: local days ``start`` to ``end`` inclusive."""

    start: date
    end: date
    zone: Any
    kind: str = "12_months"

    @classmethod
    def last_twelve_months(cls, today: date | None = None) -> Window:
        calendar = organisation_calendar()
        today = today or calendar.local_date(timezone.now())
        try:
            start = today.replace(year=today.year - 1) + timedelta(days=1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
        return cls(start=start, end=today, zone=calendar.timezone)

    def q(self, path: str) -> Q:
        start = datetime.combine(self.start, time(0), tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=self.zone)
        return Q(**{f"{path}__gte": start, f"{path}__lt": end.astimezone(UTC)})

    @classmethod
    def financial_year_to_date(cls, today: date | None = None) -> Window:
        """From 1 April (the UK public sector's financial year) to today."""
        calendar = organisation_calendar()
        today = today or calendar.local_date(timezone.now())
        year = today.year if today.month >= 4 else today.year - 1
        return cls(start=date(year, 4, 1), end=today, zone=calendar.timezone, kind=FINANCIAL_YEAR)

    @property
    def label(self) -> str:
        if self.kind == FINANCIAL_YEAR:
            return (
                f"financial year {self.start.year} to {self.start.year + 1}, to date: "
                f"{_day(self.start)} to {_day(self.end)}"
            )
        return f"12 months, {_day(self.start)} to {_day(self.end)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class LiveFigure:
    measure: str
    label: str
    value: str
    period: str
    computed_at: datetime
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    elements: tuple[str, ...]  # the elements it is evidence for
    compute: Callable[[Window], tuple[str, list[tuple[str, str]]]]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "no figure yet"


def _answered_complaint_stages(window: Window) -> Any:
    return (
        StageRecord.objects.filter(window.q("responded_at"), case__kind=Kind.COMPLAINT)
        .exclude(outcome=Outcome.WITHDRAWN)
        .order_by()
    )


def answered_within_target(window: Window) -> tuple[str, list[tuple[str, str]]]:
    rows = (
        _answered_complaint_stages(window)
        .alias(answer_day=TruncDate("responded_at", tzinfo=window.zone))
        .values("number")
        .annotate(
            answered=Count("id"),
            in_time=Count("id", filter=Q(answer_day__lte=F("respond_by"))),
        )
        .order_by("number")
    )
    answered = sum(r["answered"] for r in rows)
    in_time = sum(r["in_time"] for r in rows)
    details = [
        (
            f"Stage {r['number']}",
            f"{_percent(r['in_time'], r['answered'])} ({r['in_time']} of {r['answered']})",
        )
        for r in rows
    ]
    return f"{_percent(in_time, answered)} ({in_time} of {answered} responses)", details


def complaints_received(window: Window) -> tuple[str, list[tuple[str, str]]]:
    rows = (
        Case.objects.filter(window.q("received_at"), kind=Kind.COMPLAINT)
        .order_by()
        .values("channel")
        .annotate(count=Count("id"))
        .order_by("channel")
    )
    total = sum(r["count"] for r in rows)
    details = [(Channel(r["channel"]).label, str(r["count"])) for r in rows]
    return f"{total} complaints", details


def complaints_upheld(window: Window) -> tuple[str, list[tuple[str, str]]]:
    counts = _answered_complaint_stages(window).aggregate(
        **{o: Count("id", filter=Q(outcome=o)) for o in Outcome.values if o != Outcome.WITHDRAWN}
    )
    upheld = counts[Outcome.UPHELD] + counts[Outcome.PARTLY_UPHELD]
    decided = upheld + counts[Outcome.NOT_UPHELD]
    details = [(Outcome(o).label, str(n)) for o, n in counts.items()]
    return f"{_percent(upheld, decided)} upheld or partly upheld ({upheld} of {decided})", details


def lessons_learned(window: Window) -> tuple[str, list[tuple[str, str]]]:
    counts = _answered_complaint_stages(window).aggregate(
        answered=Count("id"), lessons=Count("id", filter=~Q(lessons_learned=""))
    )
    value = f"{counts['lessons']} lessons learned recorded"
    return value, [("Complaint responses in the period", str(counts["answered"]))]


def access_needs(window: Window) -> tuple[str, list[tuple[str, str]]]:
    customers = Case.objects.filter(window.q("received_at")).values("customer_id")
    from heard.cases.models import Customer

    aggregates: dict[str, Any] = {
        "customers": Count("id"),
        "any": Count("id", filter=~Q(access_formats=[])),
        **{
            f.value: Count("id", filter=Q(access_formats__icontains=f'"{f.value}"'))
            for f in AccessFormat
        },
    }
    counts = Customer.objects.filter(pk__in=customers).aggregate(**aggregates)
    details = [(str(f.label), str(counts[f.value])) for f in AccessFormat]
    value = f"{counts['any']} of {counts['customers']} customers recorded an access need"
    return value, details


def contacts_by_channel(window: Window) -> tuple[str, list[tuple[str, str]]]:
    rows = (
        Case.objects.filter(window.q("received_at"))
        .order_by()
        .values("channel")
        .annotate(count=Count("id"))
        .order_by("-count", "channel")
    )
    total = sum(r["count"] for r in rows)
    details = [
        (Channel(r["channel"]).label, f"{r['count']} ({_percent(r['count'], total)})") for r in rows
    ]
    return f"{total} contacts", details


def satisfaction(window: Window) -> tuple[str, list[tuple[str, str]]]:
    answers = ("handling", "timeliness", "outcome", "ease_of_contact")
    counts = SurveyResponse.objects.filter(window.q("submitted_at")).aggregate(
        responses=Count("id"),
        **{f"{a}_good": Count("id", filter=Q(**{f"{a}__gte": 4})) for a in answers},
    )
    total = counts["responses"]
    details = [
        (
            a.replace("_", " ").capitalize(),
            f"{_percent(counts[f'{a}_good'], total)} good or very good",
        )
        for a in answers
    ]
    return f"{total} survey responses", details


def bright_ideas(window: Window) -> tuple[str, list[tuple[str, str]]]:
    from heard.improvement.models import Suggestion, SuggestionStatus

    counts = Suggestion.objects.filter(window.q("submitted_at")).aggregate(
        submitted=Count("id"),
        adopted=Count(
            "id", filter=Q(status__in=[SuggestionStatus.ADOPTED, SuggestionStatus.IMPLEMENTED])
        ),
        implemented=Count("id", filter=Q(status=SuggestionStatus.IMPLEMENTED)),
    )
    details = [
        ("Adopted (including implemented)", str(counts["adopted"])),
        ("Implemented", str(counts["implemented"])),
    ]
    return f"{counts['submitted']} staff suggestions", details


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "answered_within_target",
            "Complaint responses sent within target",
            ("4.1.2", "4.3.1", "5.1.1", "5.2.5", "5.3.1", "5.3.2"),
            answered_within_target,
        ),
        Measure(
            "complaints_received",
            "Complaints received",
            ("4.1.2", "4.3.1", "4.3.4"),
            complaints_received,
        ),
        Measure(
            "complaints_upheld",
            "Complaints upheld",
            ("4.2.2", "4.3.1", "4.3.6"),
            complaints_upheld,
        ),
        Measure(
            "lessons_learned",
            "Lessons learned from complaints",
            ("4.3.4", "4.3.5", "1.3.5"),
            lessons_learned,
        ),
        Measure(
            "access_needs",
            "Customers' access needs recorded",
            ("1.1.3", "1.2.1", "3.2.1", "3.3.1"),
            access_needs,
        ),
        Measure(
            "contacts_by_channel",
            "Contacts by channel",
            ("3.3.1", "3.3.2"),
            contacts_by_channel,
        ),
        Measure(
            "satisfaction",
            "Satisfaction survey results",
            ("1.3.1", "1.3.2", "1.3.3", "1.3.4"),
            satisfaction,
        ),
        Measure(
            "bright_ideas",
            "Bright Ideas staff suggestions",
            ("2.1.6", "2.2.4", "2.2.5"),
            bright_ideas,
        ),
    )
}


def compute(measure: str, *, today: date | None = None, period: str = "") -> LiveFigure:
    """The measure's figure now, for the saved period (the last 12 months unless it says the
    financial year to date)."""
    definition = MEASURES[measure]
    if period == FINANCIAL_YEAR:
        window = Window.financial_year_to_date(today)
    else:
        window = Window.last_twelve_months(today)
    value, details = definition.compute(window)
    return LiveFigure(
        measure=measure,
        label=definition.label,
        value=value,
        period=window.label,
        computed_at=timezone.now(),
        details=details,
    )


def suggested_for(element_number: str) -> list[Measure]:
    """Measures that are evidence for this element first, then the rest."""
    return sorted(MEASURES.values(), key=lambda m: element_number not in m.elements)
