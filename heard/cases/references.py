"""Human-friendly case references: ``CMP-2026-004213``."""

from __future__ import annotations

from django.db import connection

from heard.cases.models import REFERENCE_PREFIXES, ReferenceCounter


def next_reference(kind: str, year: int) -> str:
    """The next reference for a kind of contact in a year; call inside a transaction.

    The counter row stays locked until the transaction commits, so two contacts never
    get the same number, and a rolled-back one gives its number back. One statement takes
    the number (UPDATE … RETURNING, on PostgreSQL and SQLite alike); the year's counter is
    created the first time it is needed.
    """
    prefix = REFERENCE_PREFIXES[kind]
    number = _take(prefix, year)
    if number is None:
        ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        number = _take(prefix, year)
    assert number is not None  # the counter exists now, and counters are never deleted
    return format_reference(prefix, year, number)


def _take(prefix: str, year: int) -> int | None:
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    last = quote("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608 (names quoted, values bound)
            f"WHERE {quote('prefix')} = %s AND {quote('year')} = %s RETURNING {last}",
            [prefix, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
