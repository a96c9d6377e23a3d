"""When each stage of a case must be acknowledged and answered.

One vectorised rule serves a single case (arrays of length one) and the bulk recompute
of every open case after the calendar changes, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import F

from heard.cases.models import OPEN_STATUSES, Case, StageRecord
from heard.procedures.models import CountedFrom, Stage
from heard.workdays.engine import Calendar

NO_TARGET = -1  # a stage with no acknowledgement target


@dataclass(frozen=True)
class StageDeadlines:
    deemed_received: date  # day 0 of the contact itself
    stage_deemed_received: date  # day 0 of this stage's request
    acknowledge_by: date | None
    respond_by: date


def compute_many(
    calendar: Calendar,
    *,
    received_at: npt.NDArray[np.datetime64],
    requested_at: npt.NDArray[np.datetime64],
    acknowledged_at: npt.NDArray[np.datetime64],
    acknowledge_days: npt.NDArray[np.int64],
    acknowledge_from: npt.NDArray[np.str_],
    respond_days: npt.NDArray[np.int64],
    respond_from: npt.NDArray[np.str_],
) -> tuple[npt.NDArray[np.datetime64], ...]:
    """Deadlines for many stages at once: (deemed receipt, stage day 0, acknowledge by, respond by).

    Times are naive UTC ``datetime64``; ``acknowledged_at`` is NaT where no acknowledgement
    has been sent, and ``acknowledge_days`` is ``NO_TARGET`` where none is required.
    """
    deemed = calendar.deemed_received_many(received_at)
    stage_day0 = calendar.deemed_received_many(requested_at)
    ack_day0 = np.where(acknowledge_from == CountedFrom.RECEIPT, deemed, stage_day0)
    has_ack_target = acknowledge_days != NO_TARGET
    acknowledge_by = calendar.add_working_days_many(
        ack_day0, np.where(has_ack_target, acknowledge_days, 0)
    )
    acknowledge_by = np.where(has_ack_target, acknowledge_by, np.datetime64("NaT", "D"))

    # "Within N working days of acknowledgement" counts from the day it was actually sent,
    # or, until it is sent, from the day it is due (or the stage's day 0 if none is due).
    sent_day = calendar.local_times(acknowledged_at).astype("datetime64[D]")
    expected_ack_day = np.where(has_ack_target, acknowledge_by, stage_day0)
    ack_day = np.where(np.isnat(sent_day), expected_ack_day, sent_day)
    respond_day0 = np.select(
        [respond_from == CountedFrom.RECEIPT, respond_from == CountedFrom.ESCALATION_REQUEST],
        [deemed, stage_day0],
        default=ack_day,
    )
    respond_by = calendar.add_working_days_many(respond_day0, respond_days)
    return deemed, stage_day0, acknowledge_by, respond_by


def compute(
    calendar: Calendar,
    stage: Stage,
    *,
    received_at: datetime,
    requested_at: datetime,
    acknowledged_at: datetime | None = None,
) -> StageDeadlines:
    """Deadlines for one stage of one case."""
    deemed, stage_day0, ack_by, respond_by = compute_many(
        calendar,
        received_at=_utc_array([received_at]),
        requested_at=_utc_array([requested_at]),
        acknowledged_at=_utc_array([acknowledged_at]),
        acknowledge_days=np.array([_ack_days(stage)], dtype=np.int64),
        acknowledge_from=np.array([stage.acknowledge_counted_from]),
        respond_days=np.array([stage.respond_days], dtype=np.int64),
        respond_from=np.array([stage.respond_counted_from]),
    )
    return StageDeadlines(
        deemed_received=_day(deemed[0]),
        stage_deemed_received=_day(stage_day0[0]),
        acknowledge_by=None if np.isnat(ack_by[0]) else _day(ack_by[0]),
        respond_by=_day(respond_by[0]),
    )


def recompute_open_cases(calendar: Calendar, *, batch_size: int = 20_000) -> int:
    """Re-time every open case after the calendar changed; returns how many changed.

    Extended dates are kept: they were agreed with the customer.
    """
    changed = 0
    open_records = (
        StageRecord.objects.filter(case__status__in=OPEN_STATUSES, case__stage_number=F("number"))
        .order_by("pk")
        .values_list(
            "pk",
            "case_id",
            "case__received_at",
            "requested_at",
            "acknowledged_at",
            "stage__acknowledge_days",
            "stage__acknowledge_counted_from",
            "stage__respond_days",
            "stage__respond_counted_from",
            "extended_to",
            "case__deemed_received",
            "deemed_received",
            "acknowledge_by",
            "respond_by",
        )
    )
    last_pk = 0
    while True:
        rows = list(open_records.filter(pk__gt=last_pk)[:batch_size])
        if not rows:
            return changed
        last_pk = rows[-1][0]
        changed += _recompute_batch(calendar, rows)


def _recompute_batch(calendar: Calendar, rows: list[tuple]) -> int:
    columns = list(zip(*rows, strict=True))
    deemed, stage_day0, ack_by, respond_by = compute_many(
        calendar,
        received_at=_utc_array(columns[2]),
        requested_at=_utc_array(columns[3]),
        acknowledged_at=_utc_array(columns[4]),
        acknowledge_days=np.array(
            [NO_TARGET if d is None else d for d in columns[5]], dtype=np.int64
        ),
        acknowledge_from=np.array(columns[6]),
        respond_days=np.array(columns[7], dtype=np.int64),
        respond_from=np.array(columns[8]),
    )
    records: list[StageRecord] = []
    cases: list[Case] = []
    for i, row in enumerate(rows):
        new_deemed, new_day0 = _day(deemed[i]), _day(stage_day0[i])
        new_ack = None if np.isnat(ack_by[i]) else _day(ack_by[i])
        new_respond = _day(respond_by[i])
        if (row[10], row[11], row[12], row[13]) == (new_deemed, new_day0, new_ack, new_respond):
            continue
        records.append(
            StageRecord(
                pk=row[0], deemed_received=new_day0, acknowledge_by=new_ack, respond_by=new_respond
            )
        )
        cases.append(
            Case(
                pk=row[1],
                deemed_received=new_deemed,
                acknowledge_by=new_ack,
                respond_by=row[9] or new_respond,
            )
        )
    fields = ["deemed_received", "acknowledge_by", "respond_by"]
    with transaction.atomic():
        _bulk_set(StageRecord, records, fields)
        _bulk_set(Case, cases, fields)
    return len(records)


def _bulk_set(model: type[Case] | type[StageRecord], rows: list[Any], fields: list[str]) -> None:
    """Write date columns for many rows: one UPDATE … FROM unnest() on PostgreSQL.

    Django's bulk_update builds a CASE per column and row, which is slow at tens of
    thousands of rows; elsewhere (SQLite) it is the portable fallback.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, fields, batch_size=500)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = fields  # plain date fields: the column is the field name
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = v.{c}" for c in columns)
    unnested = ", ".join(
        ["unnest(%s::bigint[]) AS id"] + [f"unnest(%s::date[]) AS {c}" for c in columns]
    )
    sql = f"UPDATE {table} AS t SET {assignments} FROM (SELECT {unnested}) AS v WHERE t.id = v.id"  # noqa: S608
    parameters = [[row.pk for row in rows]] + [
        [getattr(row, name) for row in rows] for name in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)


def _ack_days(stage: Stage) -> int:
    return NO_TARGET if stage.acknowledge_days is None else stage.acknowledge_days


def _utc_array(values: object) -> npt.NDArray[np.datetime64]:
    return np.array(
        [None if v is None else v.astimezone(UTC).replace(tzinfo=None) for v in values],  # type: ignore[attr-defined]
        dtype="datetime64[us]",
    )


def _day(value: np.datetime64) -> date:
    result = value.astype("datetime64[D]").item()
    assert isinstance(result, date)
    return result
