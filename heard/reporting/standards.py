"""Measuring each standard in the register for a period, from case data or from imports.

A measurement is "met out of counted": e.g. 47 of 50 letters acknowledged within 5 working
days. What is not yet due (a letter received yesterday, not yet acknowledged) is not counted.

* Case data: the first stage of every contact received in the period on the standard's
  channels (letters and email for a correspondence standard), all kinds of contact. Working
  days are counted from the deemed day of receipt, as for deadlines (DOMAIN.md §3).
* Correspondence sampling: the sampled letters received in the period, the same way; a sample
  with no date of acknowledgement or answer did not meet the standard.
* Telephony: calls answered within the threshold, of the calls offered (an abandoned call was
  not answered in time), over every line whose logged period lies within the period.
* Mystery shopping: visits and calls in the period that met the standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum

from heard.cases.models import Outcome, StageRecord
from heard.reporting.figures import Scope, percent
from heard.reporting.models import (
    CASE_CHANNELS,
    CorrespondenceSample,
    DipExplanation,
    Measure,
    MysteryShopResult,
    Source,
    Standard,
    TelephonyRecord,
)
from heard.reporting.periods import Period
from heard.workdays.engine import Calendar

# Within this many percentage points below target a standard is amber; further below, red.
AMBER_MARGIN = Decimal("5")


class Rag:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"

    LABELS = {
        GREEN: "Met",
        AMBER: "Just missed",
        RED: "Missed",
        NONE: "No data",
    }


@dataclass(frozen=True)
class Measurement:
    standard: Standard
    period: Period
    met: int
    counted: int
    explanation: DipExplanation | None = None

    @property
    def percent(self) -> float | None:
        return percent(self.met, self.counted)

    @property
    def rag(self) -> str:
        return rag(self.percent, self.standard.target_percent)

    @property
    def rag_label(self) -> str:
        return Rag.LABELS[self.rag]

    @property
    def is_dip(self) -> bool:
        """Below target: the dashboard asks for an explanation and action (CSE 4.3.1)."""
        return self.rag in (Rag.AMBER, Rag.RED)


def rag(value: float | None, target: Decimal) -> str:
    if value is None:
        return Rag.NONE
    measured = Decimal(str(value))
    if measured >= target:
        return Rag.GREEN
    if measured >= target - AMBER_MARGIN:
        return Rag.AMBER
    return Rag.RED


def measure(standard: Standard, scope: Scope) -> tuple[int, int]:
    """(met, counted) for one standard over the scope's period."""
    source, kind = standard.source, standard.measure
    if source == Source.TELEPHONY:
        return _telephony(scope.period)
    if source == Source.MYSTERY_SHOPPING:
        return _mystery_shopping(standard, scope.period)
    if source == Source.CALL_RECORDS:
        return _call_backs(scope.period)
    if kind not in (Measure.ACKNOWLEDGED_WITHIN, Measure.ANSWERED_WITHIN):
        return 0, 0
    threshold = standard.threshold or 0
    if source == Source.CORRESPONDENCE_SAMPLING:
        pairs = _sample_pairs(standard, scope.period, kind)
        return _within(scope.calendar, pairs, threshold, today=None)
    pairs = _case_pairs(standard, scope, kind)
    return _within(scope.calendar, pairs, threshold, today=scope.today)


def measure_all(scope: Scope, standards: list[Standard] | None = None) -> list[Measurement]:
    """Every active standard measured for the scope's period, with any explanation of a dip."""
    standards = standards if standards is not None else list(Standard.objects.filter(active=True))
    explanations = {
        e.standard_id: e
        for e in DipExplanation.objects.filter(period_key=scope.period.key).select_related(
            "written_by"
        )
    }
    return [
        Measurement(s, scope.period, *measure(s, scope), explanations.get(s.pk)) for s in standards
    ]


def trend(standard: Standard, scope: Scope, *, periods: int = 4) -> list[Measurement]:
    """The standard over this period and the ones before it, oldest first."""
    result = []
    period = scope.period
    for _ in range(periods):
        here = Scope(
            period=period,
            calendar=scope.calendar,
            today=scope.today,
            service_ids=scope.service_ids,
            directorate_id=scope.directorate_id,
        )
        result.append(Measurement(standard, period, *measure(standard, here)))
        period = period.previous()
    return list(reversed(result))


# -- sources ---------------------------------------------------------------------------


def _call_backs(period: Period) -> tuple[int, int]:
    """Call backs owed for calls and voicemails in the period: (returned in time, counted).

    A call back not yet made counts once it is overdue (missed); one still within its time is
    left out until it is made or missed.
    """
    from heard.channels.phone import call_back_performance

    performance = call_back_performance(period.start, period.end)
    return performance.met, performance.met + performance.missed


def _case_pairs(standard: Standard, scope: Scope, kind: str) -> list[tuple[date, date | None, int]]:
    """(day 0, local day of the event or None, how many) for first stages received in the period."""
    event = "acknowledged_at" if kind == Measure.ACKNOWLEDGED_WITHIN else "responded_at"
    # A first stage's request is the contact itself (its requested_at is the case's receipt),
    # and the stage record carries the case's channel and service: no join with the cases.
    records = StageRecord.objects.filter(
        scope.in_period("requested_at"),
        scope.service_q("case_"),
        number=1,
    )
    channels = CASE_CHANNELS.get(standard.channel)
    if channels is not None:
        records = records.filter(case_channel__in=channels)
    if kind == Measure.ANSWERED_WITHIN:
        records = records.exclude(outcome=Outcome.WITHDRAWN)
    rows = (
        records.order_by()
        .annotate(event_day=scope.local_day(event))
        .values("deemed_received", "event_day")
        .annotate(count=Count("id"))
    )
    return [(r["deemed_received"], r["event_day"], r["count"]) for r in rows]


def _sample_pairs(
    standard: Standard, period: Period, kind: str
) -> list[tuple[date, date | None, int]]:
    event = "acknowledged" if kind == Measure.ACKNOWLEDGED_WITHIN else "answered"
    samples = CorrespondenceSample.objects.filter(
        received__gte=period.start, received__lte=period.end
    )
    channels = CASE_CHANNELS.get(standard.channel)
    if channels is not None:
        samples = samples.filter(channel__in=channels)
    rows = samples.order_by().values("received", event).annotate(count=Count("id"))
    return [(r["received"], r[event], r["count"]) for r in rows]


def _within(
    calendar: Calendar,
    pairs: list[tuple[date, date | None, int]],
    threshold: int,
    *,
    today: date | None,
) -> tuple[int, int]:
    """How many events came within ``threshold`` working days of day 0, of those counted.

    Without an event: counted as missed once the deadline has passed (always, when ``today``
    is None, as for an audited sample).
    """
    if not pairs:
        return 0, 0
    starts = np.array([p[0] for p in pairs], dtype="datetime64[D]")
    ends = np.array([p[1] for p in pairs], dtype="datetime64[D]")  # None becomes NaT
    counts = np.array([p[2] for p in pairs], dtype=np.int64)
    happened = ~np.isnat(ends)
    deadline = calendar.add_working_days_many(starts, np.full(len(pairs), threshold))
    on_time = happened & (ends <= deadline)
    if today is None:
        counted = np.ones(len(pairs), dtype=bool)
    else:
        counted = happened | (deadline < np.datetime64(today, "D"))
    return int(counts[on_time].sum()), int(counts[counted].sum())


def _telephony(period: Period) -> tuple[int, int]:
    row = TelephonyRecord.objects.filter(start__gte=period.start, end__lte=period.end).aggregate(
        within=Sum("answered_within_threshold"), offered=Sum("offered")
    )
    return row["within"] or 0, row["offered"] or 0


def _mystery_shopping(standard: Standard, period: Period) -> tuple[int, int]:
    row: dict[str, Any] = MysteryShopResult.objects.filter(
        standard=standard, on__gte=period.start, on__lte=period.end
    ).aggregate(met=Count("id", filter=Q(met=True)), counted=Count("id"))
    return row["met"], row["counted"]
