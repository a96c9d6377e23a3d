"""Bulk writes of generated rows with explicit ids: COPY on PostgreSQL, bulk_create elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models

BATCH = 2_000

Column = Sequence[Any] | np.ndarray


def next_id(model: type[models.Model]) -> int:
    """The first primary key above every row in ``model``'s table."""
    return (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def write_rows(model: type[models.Model], columns: Mapping[str, Column]) -> int:
    """Insert rows given as columns (by attribute name, ids included) into ``model``'s table.

    Times are naive UTC ``datetime64``, dates ``datetime64[D]`` (NaT for none), foreign
    keys integer arrays (0 for none), JSON fields JSON text, decimals text.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    postgres = connection.vendor == "postgresql"
    values = [_column(fields[name], column, postgres=postgres) for name, column in columns.items()]
    count = len(values[0]) if values else 0
    if count == 0:
        return 0
    if postgres:
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(fields[n].column) for n in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3's cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row(row)
        return count
    attnames = list(columns)
    with _given_times(model):
        model._default_manager.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in zip(*values, strict=True)),
            batch_size=BATCH,
        )
    return count


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them (setval)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def analyse(*model_classes: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load.

    Without it PostgreSQL plans from the empty tables it saw before and, at a million
    cases, scans whole tables where an index would answer in milliseconds. On PostgreSQL,
    outside a transaction, the tables are vacuumed too (as autovacuum would do later): that
    marks the loaded pages all-visible, so the report figures can be read from their covering
    indexes alone instead of visiting the table for every row.
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in model_classes:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")


@contextmanager
def _given_times(model: type[models.Model]) -> Iterator[None]:
    """Keep the generated created/updated/recorded times: bulk_create would stamp them now.

    The demo writes history, so these fields take the times the simulation gives them.
    """
    stamped = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(stamped, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _column(field: models.Field[Any, Any], column: Column, *, postgres: bool) -> list[Any]:
    if isinstance(column, np.ndarray) and column.dtype.kind == "M":
        missing = np.isnat(column)
        if isinstance(field, models.DateTimeField):
            if postgres:
                text = np.datetime_as_string(column.astype("datetime64[s]"), timezone="UTC")
                return [
                    None if m else t for t, m in zip(text.tolist(), missing.tolist(), strict=True)
                ]
            moments = column.astype("datetime64[us]").tolist()
            return [None if m is None else m.replace(tzinfo=UTC) for m in moments]
        days = column.astype("datetime64[D]")
        if postgres:
            text = np.datetime_as_string(days)
            return [None if m else t for t, m in zip(text.tolist(), missing.tolist(), strict=True)]
        return list(days.tolist())
    if isinstance(column, np.ndarray):
        values = column.tolist()
        if isinstance(field, models.ForeignKey):
            return [v or None for v in values]
        return list(values)
    if postgres:
        return list(column)
    if isinstance(field, models.JSONField):
        return [json.loads(v) for v in column]
    if isinstance(field, models.DecimalField):
        return [None if v is None else Decimal(v) for v in column]
    return list(column)
