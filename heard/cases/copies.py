"""Stage records carry copies of their case's kind, channel and service (``case_kind``,
``case_channel``, ``case_service``) so that the performance figures read the stage-record
table alone. They are written with the stage record (``StageRecord.of``) and when a case is
allocated to another service (``services.allocate``).

Two things here keep them honest:

* :func:`fill_missing` copies them onto stage records that have none — those written by the
  previous version of Heard in the minutes between a deploy's migration and its restart. Every
  stage record belongs to a case of some kind, so an empty ``case_kind`` always means "not yet
  copied". The scheduler's duties run it (heard.jobs.duties).
* :func:`out_of_step` finds stage records whose copies differ from their case (tests use it
  after every kind of change; an administrator can run it from ``heard shell``), and
  :func:`mend_out_of_step`, run by the duties once a day, copies the case's values back onto
  them. Drift means some code moved a case without its stage records (the rule in
  docs/developers.md was missed): the duty logs a warning naming the cases, so the bug is
  seen, and the figures are right again meanwhile.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from heard.cases.models import StageRecord


def _copy_from_case(records: QuerySet[StageRecord], limit: int) -> list[StageRecord]:
    """Copy the case's kind, channel and service onto up to ``limit`` of ``records``."""
    copied = list(records.select_related("case")[:limit])
    for record in copied:
        record.case_kind = record.case.kind
        record.case_channel = record.case.channel
        record.case_service_id = record.case.service_id
    StageRecord.objects.bulk_update(copied, ["case_kind", "case_channel", "case_service"])
    return copied


def fill_missing(limit: int = 1000) -> int:
    """Copy the case's kind, channel and service onto up to ``limit`` stage records without them."""
    return len(_copy_from_case(StageRecord.objects.filter(case_kind=""), limit))


def out_of_step() -> QuerySet[StageRecord]:
    """Stage records whose copies differ from their case."""
    return StageRecord.objects.filter(
        ~Q(case_kind=F("case__kind"))
        | ~Q(case_channel=F("case__channel"))
        | Q(case_service__isnull=True, case__service__isnull=False)
        | Q(case_service__isnull=False, case__service__isnull=True)
        | (
            Q(case_service__isnull=False, case__service__isnull=False)
            & ~Q(case_service=F("case__service"))
        )
    )


def mend_out_of_step(limit: int = 10_000) -> list[str]:
    """Copy the case's kind, channel and service onto up to ``limit`` stage records whose copies
    differ; the references of the cases mended."""
    records = _copy_from_case(out_of_step(), limit)
    return sorted({record.case.reference for record in records})
