"""Human-friendly case references: ``CMP-2026-004213``."""

from __future__ import annotations

from django.db.models import F

from heard.cases.models import REFERENCE_PREFIXES, ReferenceCounter


def next_reference(kind: str, year: int) -> str:
    """The next reference for a kind of contact in a year; call inside a transaction.

    The counter row stays locked until the transaction commits, so two contacts never
    get the same number, and a rolled-back one gives its number back.
    """
    prefix = REFERENCE_PREFIXES[kind]
    counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
    return format_reference(prefix, year, number)


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
