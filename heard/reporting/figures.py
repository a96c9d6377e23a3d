"""Performance figures from the case data, one database aggregate per family of figures.

Every function takes a :class:`Scope` (the period and the filters) and, where it makes sense,
``by`` ("service" or "directorate") to split the figures. Nothing loops over cases in Python:
counts and sums are aggregates in the database; working days, which the database cannot count,
are counted with numpy over the *distinct pairs of dates* the database returns with a count
for each pair — a few thousand pairs however many cases there are.

Which cases a figure counts (the same rules on every page, CSV and publication):

* **received**: contacts whose receipt time falls in the period (the organisation's local days);
* **stage started**: a stage whose request (the contact, or the escalation request) arrived in
  the period; the acknowledgement figures count these, leaving out those whose acknowledgement
  is not yet due;
* **answered**: a stage whose response was sent in the period; the timeliness, outcome,
  working-day and escalation figures count these. A withdrawn complaint was not answered, so it
  is counted under outcomes but left out of timeliness and of the upheld rate;
* **on time**: answered on or before the stage's target date; **within extension**: on or
  before the extended date where the customer agreed one (otherwise the target date);
* **working days to respond**: working days from the stage's day 0 (deemed receipt of the
  contact or of the escalation request) to the local day of the response.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from heard.cases.models import OPEN_STATUSES, Case, Kind, Outcome, Remedy, RemedyKind, StageRecord
from heard.portal.models import SurveyResponse
from heard.procedures.models import Stage
from heard.reporting.periods import Period
from heard.workdays.engine import Calendar

ALL = "all"  # the key of an unsplit figure
GROUPS = {"service": "service_id", "directorate": "service__directorate_id"}
# Bands of working days to respond, for the distribution (inclusive upper bounds).
DAY_BANDS: tuple[tuple[str, int | None], ...] = (
    ("0 to 5", 5),
    ("6 to 10", 10),
    ("11 to 20", 20),
    ("21 to 40", 40),
    ("more than 40", None),
)
ANSWERED_OUTCOMES = tuple(o for o in Outcome.values if o != Outcome.WITHDRAWN)
# A stage counted as answered: any outcome but withdrawn (or none recorded).
ANSWERED_Q = Q(outcome__in=ANSWERED_OUTCOMES) | Q(outcome="")


@dataclass(frozen=True)
class Scope:
    """What a figure covers: a period, and optionally services, a directorate, a kind, a channel, a stage."""

    period: Period
    calendar: Calendar
    today: date
    service_ids: frozenset[int] | None = None  # None: every service, and contacts with none
    directorate_id: int | None = None
    kind: str = ""
    channel: str = ""
    stage: int | None = None

    def service_q(self, prefix: str = "") -> Q:
        """The services or directorate filtered on, as seen from a model ``prefix`` away from
        the case (the case-based standards take only these: they cover every kind)."""
        q = Q()
        if self.service_ids is not None:
            q &= Q(**{f"{prefix}service_id__in": sorted(self.service_ids)})
        if self.directorate_id is not None:
            q &= Q(**{f"{prefix}service__directorate_id": self.directorate_id})
        return q

    def case_q(self, prefix: str = "") -> Q:
        """The filters on the case, as seen from a model ``prefix`` away from it."""
        q = self.service_q(prefix)
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.channel:
            q &= Q(**{f"{prefix}channel": self.channel})
        return q

    def in_period(self, path: str) -> Q:
        """``path`` (a UTC timestamp) falls on one of the period's local days."""
        start, end = self.period.instants(self.calendar.timezone)
        return Q(**{f"{path}__gte": start, f"{path}__lt": end})

    def local_day(self, path: str) -> TruncDate:
        return TruncDate(path, tzinfo=self.calendar.timezone)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _group(by: str | None, prefix: str = "") -> list[str]:
    if by is None:
        return []
    if by not in GROUPS:
        raise ValueError(f"Figures can be split by {', '.join(GROUPS)}, not {by!r}.")
    return [prefix + GROUPS[by]]


def _key(row: dict[str, Any], fields: list[str]) -> Any:
    return row[fields[0]] if fields else ALL


# -- contacts received --------------------------------------------------------------------


@dataclass
class Volumes:
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_kind_and_channel: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def complaints(self) -> int:
        return self.by_kind.get(Kind.COMPLAINT, 0)

    @property
    def compliments(self) -> int:
        return self.by_kind.get(Kind.COMPLIMENT, 0)


def contacts_received(
    scope: Scope, *, by: str | None = None, with_all: bool = False
) -> dict[Any, Volumes]:
    """Contacts received in the period, by kind and channel (one query); split ``by`` a group
    and ``with_all``, also every group added up under ``ALL``."""
    group = _group(by)
    rows = (
        Case.objects.filter(scope.in_period("received_at"), scope.case_q())
        .order_by()
        .values(*group, "kind", "channel")
        .annotate(count=Count("id"))
    )
    result: dict[Any, Volumes] = defaultdict(Volumes)
    for row in rows:
        keys = [_key(row, group)] + ([ALL] if group and with_all else [])
        kind, channel, count = row["kind"], row["channel"], row["count"]
        for key in keys:
            volumes = result[key]
            volumes.total += count
            volumes.by_kind[kind] = volumes.by_kind.get(kind, 0) + count
            volumes.by_channel[channel] = volumes.by_channel.get(channel, 0) + count
            pair = (kind, channel)
            volumes.by_kind_and_channel[pair] = volumes.by_kind_and_channel.get(pair, 0) + count
    return dict(result)


# -- stages: acknowledgement, response, outcomes ----------------------------------------


@dataclass
class StageFigures:
    stage: int
    started: int = 0
    acknowledgements_due: int = 0
    acknowledged_in_time: int = 0
    answered: int = 0
    answered_in_time: int = 0
    answered_within_extension: int = 0
    extended: int = 0
    escalated: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Outcome.values, 0))
    mean_working_days: float | None = None
    working_days_bands: dict[str, int] = field(
        default_factory=lambda: {band: 0 for band, _ in DAY_BANDS}
    )
    overdue_now: int = 0

    @property
    def percent_acknowledged_in_time(self) -> float | None:
        return percent(self.acknowledged_in_time, self.acknowledgements_due)

    @property
    def percent_answered_in_time(self) -> float | None:
        return percent(self.answered_in_time, self.answered)

    @property
    def percent_answered_within_extension(self) -> float | None:
        return percent(self.answered_within_extension, self.answered)

    @property
    def upheld(self) -> int:
        return self.outcomes[Outcome.UPHELD] + self.outcomes[Outcome.PARTLY_UPHELD]

    @property
    def percent_upheld(self) -> float | None:
        """Upheld or partly upheld, of the complaints decided (resolved at first contact left out)."""
        decided = self.upheld + self.outcomes[Outcome.NOT_UPHELD]
        return percent(self.upheld, decided)

    @property
    def percent_escalated(self) -> float | None:
        return percent(self.escalated, self.answered)


# Stage records carry copies of their case's kind, channel and service (``case_kind``,
# ``case_channel``, ``case_service``): filtered and split through the prefix "case_", the stage
# figures read the stage-record table alone, most of them from a covering index.
STAGE = "case_"


def _stage_records(scope: Scope) -> QuerySet[StageRecord]:
    records = StageRecord.objects.filter(
        scope.case_q(STAGE), case_kind=scope.kind or Kind.COMPLAINT
    )
    if scope.stage is not None:
        records = records.filter(number=scope.stage)
    return records.order_by()


def complaints_by_stage(
    scope: Scope,
    *,
    by: str | None = None,
    with_all: bool = False,
    working_days_by_group: bool = True,
) -> dict[Any, list[StageFigures]]:
    """Per stage: started, acknowledged on time, answered on time and within extension, outcomes,
    escalations, working days to respond and what is overdue now.

    Complaints unless the scope names another kind. Five queries whatever the number of cases.
    Split ``by`` a group and ``with_all``, the result also holds the unsplit figures under
    ``ALL``, added up from the groups' rows (the same figures as a call without ``by``, for the
    price of one). With ``working_days_by_group=False`` the working days to respond are worked
    out for ``ALL`` only (the groups' are left empty): a year's answers, split by service, are
    tens of thousands of pairs of dates that a page showing only the whole would not use.
    """
    group = _group(by, STAGE)
    table: dict[Any, dict[int, StageFigures]] = defaultdict(dict)

    def figures(row: dict[str, Any]) -> StageFigures:
        stages = table[_key(row, group)]
        number = row["number"]
        if number not in stages:
            stages[number] = StageFigures(stage=number)
        return stages[number]

    # 1. Stages started in the period: the acknowledgement.
    ack_day = scope.local_day("acknowledged_at")
    acknowledgement_due = Q(acknowledge_by__isnull=False) & (
        Q(acknowledged_at__isnull=False) | Q(acknowledge_by__lt=scope.today)
    )
    started = (
        _stage_records(scope)
        .filter(scope.in_period("requested_at"))
        .alias(ack_day=ack_day)
        .values(*group, "number")
        .annotate(
            started=Count("id"),
            acknowledgements_due=Count("id", filter=acknowledgement_due),
            in_time=Count(
                "id",
                filter=Q(acknowledge_by__isnull=False, ack_day__lte=F("acknowledge_by")),
            ),
        )
    )
    for row in started:
        stage = figures(row)
        stage.started = row["started"]
        stage.acknowledgements_due = row["acknowledgements_due"]
        stage.acknowledged_in_time = row["in_time"]

    # 2. Stages answered in the period: timeliness, outcomes, escalation.
    answered_records = _stage_records(scope).filter(scope.in_period("responded_at"))
    for row in _answered_rows(scope, group):
        _set_answered(figures(row), row)

    # Escalated: the case went on to the next stage (stages are taken in order). Few are, so
    # the later stages are read from their own small index (stage_record_later).
    later = StageRecord.objects.filter(
        case_id=OuterRef("case_id"), number=OuterRef("number") + 1, number__gt=1
    )
    escalated = (
        answered_records.filter(ANSWERED_Q, Exists(later))
        .values(*group, "number")
        .annotate(count=Count("id"))
    )
    for row in escalated:
        figures(row).escalated = row["count"]

    # 3. Working days to respond, counted with numpy over the distinct (day 0, answer day) pairs.
    pair_group = group if working_days_by_group else []
    pairs = (
        answered_records.filter(ANSWERED_Q)
        .annotate(answer_day=scope.local_day("responded_at"))
        .values(*pair_group, "number", "deemed_received", "answer_day")
        .annotate(count=Count("id"))
    )
    by_stage: dict[tuple[Any, int], list[tuple[date, date, int]]] = defaultdict(list)
    for row in pairs:
        by_stage[(_key(row, pair_group), row["number"])].append(
            (row["deemed_received"], row["answer_day"], row["count"])
        )
    all_pairs: dict[int, list[tuple[date, date, int]]] = defaultdict(list)
    for (key, number), rows in by_stage.items():
        all_pairs[number].extend(rows)
        if pair_group or not group:
            stage = figures({**({group[0]: key} if group else {}), "number": number})
            _set_working_days(stage, scope.calendar, rows)

    # 4. Overdue now (not tied to the period): open stages past their (extended) date.
    overdue = (
        _stage_records(scope)
        .filter(
            responded_at__isnull=True,
            case__status__in=OPEN_STATUSES,
            case__stage_number=F("number"),
        )
        .alias(final_due=Coalesce("extended_to", "respond_by"))
        .filter(final_due__lt=scope.today)
        .values(*group, "number")
        .annotate(count=Count("id"))
    )
    for row in overdue:
        figures(row).overdue_now = row["count"]

    result = {key: [stages[n] for n in sorted(stages)] for key, stages in table.items()}
    if group and with_all:
        result[ALL] = _added_up(list(table.values()), all_pairs, scope.calendar)
    return result


def _answered_rows(scope: Scope, group: list[str]) -> QuerySet[StageRecord, dict[str, Any]]:
    """Stages answered in the period, per group and stage: how many, on time, within an
    extension, extended, and each outcome (withdrawn ones count only under outcomes)."""
    outcome_counts = {f"outcome_{o}": Count("id", filter=Q(outcome=o)) for o in Outcome.values}
    return (
        _stage_records(scope)
        .filter(scope.in_period("responded_at"))
        .alias(
            answer_day=scope.local_day("responded_at"),
            due_after_extension=Coalesce("extended_to", "respond_by"),
        )
        .values(*group, "number")
        .annotate(
            answered=Count("id", filter=ANSWERED_Q),
            in_time=Count("id", filter=ANSWERED_Q & Q(answer_day__lte=F("respond_by"))),
            within_extension=Count(
                "id", filter=ANSWERED_Q & Q(answer_day__lte=F("due_after_extension"))
            ),
            extended=Count("id", filter=ANSWERED_Q & Q(extended_to__isnull=False)),
            **outcome_counts,
        )
    )


def _set_answered(stage: StageFigures, row: dict[str, Any]) -> None:
    stage.answered = row["answered"]
    stage.answered_in_time = row["in_time"]
    stage.answered_within_extension = row["within_extension"]
    stage.extended = row["extended"]
    stage.outcomes = {o: row[f"outcome_{o}"] for o in Outcome.values}


def complaints_answered(scope: Scope) -> StageFigures:
    """Every stage answered in the period added together — answered, on time, within an
    extension, extended and outcomes only (one query; what the annual report compares with
    the year before). Everything else on the result is left at nothing."""
    stages = []
    for row in _answered_rows(scope, []):
        stage = StageFigures(stage=row["number"])
        _set_answered(stage, row)
        stages.append(stage)
    total = totals(stages)
    total.mean_working_days = None
    return total


def _set_working_days(
    stage: StageFigures, calendar: Calendar, rows: list[tuple[date, date, int]]
) -> None:
    days, counts = working_days(calendar, rows)
    stage.mean_working_days = round(float(np.average(days, weights=counts)), 1)
    stage.working_days_bands = bands(days, counts)


_COUNTED = (
    "started",
    "acknowledgements_due",
    "acknowledged_in_time",
    "answered",
    "answered_in_time",
    "answered_within_extension",
    "extended",
    "escalated",
    "overdue_now",
)


def _added_up(
    groups: list[dict[int, StageFigures]],
    pairs: dict[int, list[tuple[date, date, int]]],
    calendar: Calendar,
) -> list[StageFigures]:
    """Each stage's figures over every group: counts added, working days from the pooled pairs."""
    merged: dict[int, StageFigures] = {}
    for stages in groups:
        for number, stage in stages.items():
            total = merged.setdefault(number, StageFigures(stage=number))
            for name in _COUNTED:
                setattr(total, name, getattr(total, name) + getattr(stage, name))
            for outcome, count in stage.outcomes.items():
                total.outcomes[outcome] += count
    for number, rows in pairs.items():
        _set_working_days(merged[number], calendar, rows)
    return [merged[n] for n in sorted(merged)]


def working_days(
    calendar: Calendar, rows: Iterable[tuple[date, date, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Working days from each day 0 to each end day, and how many cases had that pair."""
    starts, ends, counts = zip(*rows, strict=True)
    days = calendar.working_days_after_many(
        np.array(starts, dtype="datetime64[D]"), np.array(ends, dtype="datetime64[D]")
    )
    return np.maximum(days, 0), np.array(counts, dtype=np.int64)


def bands(days: np.ndarray, counts: np.ndarray) -> dict[str, int]:
    result: dict[str, int] = {}
    lower = -1
    for label, upper in DAY_BANDS:
        mask = days > lower if upper is None else (days > lower) & (days <= upper)
        result[label] = int(counts[mask].sum())
        lower = upper if upper is not None else lower
    return result


def totals(stages: list[StageFigures]) -> StageFigures:
    """Every stage added together (the mean working days weighted by answers)."""
    total = StageFigures(stage=0)
    weighted, weight = 0.0, 0
    for stage in stages:
        for name in _COUNTED:
            setattr(total, name, getattr(total, name) + getattr(stage, name))
        for outcome, count in stage.outcomes.items():
            total.outcomes[outcome] += count
        for band, count in stage.working_days_bands.items():
            total.working_days_bands[band] += count
        if stage.mean_working_days is not None:
            weighted += stage.mean_working_days * stage.answered
            weight += stage.answered
    total.mean_working_days = round(weighted / weight, 1) if weight else None
    return total


# -- remedies and compensation ----------------------------------------------------------


@dataclass
class Remedies:
    financial_total: Decimal = Decimal("0.00")
    financial_count: int = 0
    apologies: int = 0
    actions: int = 0
    other: int = 0


def remedies(scope: Scope, *, by: str | None = None, with_all: bool = False) -> dict[Any, Remedies]:
    """Remedies given in responses sent in the period, and the compensation paid (one query);
    split ``by`` a group and ``with_all``, also every group added up under ``ALL``."""
    group = _group(by, "stage_record__" + STAGE)
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    given = Remedy.objects.filter(
        scope.in_period("stage_record__responded_at"),
        scope.case_q("stage_record__" + STAGE),
        **({"stage_record__number": scope.stage} if scope.stage else {}),
    ).order_by()
    aggregates: dict[str, Any] = {
        "total": Coalesce(
            Sum("amount", filter=Q(kind=RemedyKind.FINANCIAL)), Value(0), output_field=money
        ),
        "financial": Count("id", filter=Q(kind=RemedyKind.FINANCIAL)),
        "apologies": Count("id", filter=Q(kind=RemedyKind.APOLOGY)),
        "actions": Count("id", filter=Q(kind=RemedyKind.ACTION)),
        "other": Count("id", filter=Q(kind=RemedyKind.OTHER)),
    }
    if group:
        rows: Iterable[dict[str, Any]] = given.values(*group).annotate(**aggregates)
    else:
        row = given.aggregate(**aggregates)
        rows = [row] if row["financial"] + row["apologies"] + row["actions"] + row["other"] else []
    result = {
        _key(row, group): Remedies(
            financial_total=Decimal(row["total"]).quantize(Decimal("0.01")),
            financial_count=row["financial"],
            apologies=row["apologies"],
            actions=row["actions"],
            other=row["other"],
        )
        for row in rows
    }
    if group and with_all and result:
        result[ALL] = Remedies(
            financial_total=sum((r.financial_total for r in result.values()), Decimal("0.00")),
            financial_count=sum(r.financial_count for r in result.values()),
            apologies=sum(r.apologies for r in result.values()),
            actions=sum(r.actions for r in result.values()),
            other=sum(r.other for r in result.values()),
        )
    return result


def compensation_by_service_and_month(scope: Scope) -> list[dict[str, Any]]:
    """Financial redress paid, per service and month, for the customer panel (one query)."""
    rows = (
        Remedy.objects.filter(
            scope.in_period("stage_record__responded_at"),
            scope.case_q("stage_record__" + STAGE),
            kind=RemedyKind.FINANCIAL,
        )
        .order_by()
        .annotate(month=TruncMonth("stage_record__responded_at", tzinfo=scope.calendar.timezone))
        .values("stage_record__case_service__name", "month")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("stage_record__case_service__name", "month")
    )
    return [
        {
            "service": row["stage_record__case_service__name"] or "No service recorded",
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "total": Decimal(row["total"]).quantize(Decimal("0.01")),
            "count": row["count"],
        }
        for row in rows
    ]


# -- final-stage complaints for the panel -----------------------------------------------


def final_stage(scope: Scope) -> StageFigures | None:
    """Complaints at the last stage of their procedure (the panel's stage), added together."""
    later = Stage.objects.filter(
        version_id=OuterRef("stage__version_id"), number__gt=OuterRef("number")
    )
    numbers = (
        _stage_records(scope)
        .alias(has_later=Exists(later))
        .filter(has_later=False)
        .values_list("number", flat=True)
        .distinct()
    )
    final_numbers = set(numbers)
    if not final_numbers:
        return None
    stages = complaints_by_stage(scope).get(ALL, [])
    return totals([s for s in stages if s.stage in final_numbers and s.stage > 1])


# -- customers ---------------------------------------------------------------------------


@dataclass
class Satisfaction:
    responses: int = 0
    mean: dict[str, float | None] = field(default_factory=dict)
    satisfied: dict[str, int] = field(default_factory=dict)  # rated good or very good

    def percent_satisfied(self, question: str) -> float | None:
        return percent(self.satisfied.get(question, 0), self.responses)


SURVEY_QUESTIONS = ("handling", "timeliness", "outcome", "ease_of_contact")


def satisfaction(scope: Scope) -> Satisfaction:
    """Survey answers given in the period (one query)."""
    aggregates: dict[str, Any] = {"responses": Count("id")}
    for question in SURVEY_QUESTIONS:
        aggregates[f"mean_{question}"] = Avg(question)
        aggregates[f"satisfied_{question}"] = Count("id", filter=Q(**{f"{question}__gte": 4}))
    row = SurveyResponse.objects.filter(
        scope.in_period("submitted_at"), scope.case_q("case__")
    ).aggregate(**aggregates)
    return Satisfaction(
        responses=row["responses"],
        mean={
            q: None if row[f"mean_{q}"] is None else round(float(row[f"mean_{q}"]), 2)
            for q in SURVEY_QUESTIONS
        },
        satisfied={q: row[f"satisfied_{q}"] for q in SURVEY_QUESTIONS},
    )


def repeat_complainants(scope: Scope) -> int:
    """People who made more than one complaint in the period, told apart by email address
    (whatever its capitals or surrounding spaces); complaints from customers with no address
    are not counted. One query over the case table alone, through the customers' email keys
    copied onto their cases (``Case.customer_key``), read from case_customer_key_figures."""
    return (
        Case.objects.filter(
            scope.in_period("received_at"),
            scope.case_q(),
            kind=Kind.COMPLAINT,
            customer_key__isnull=False,
        )
        .order_by()
        .values("customer_key")
        .annotate(count=Count("*"))
        .filter(count__gt=1)
        .count()
    )
