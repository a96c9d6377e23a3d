"""Retention schedules: how long personal data is kept after a case closes, and applying them.

Nothing is anonymised that a dry run did not report first. Each run lists, for every active
schedule, the closed cases past their period (``reported``). A schedule in "apply" mode
anonymises only the cases that are still due *and* were reported by the previous run, made
since the schedule was last changed; newly due cases are reported and wait for the next run.
Every run is kept (:class:`RetentionRun`) with the references it reported and anonymised.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from heard.cases.models import Case, Customer, Status
from heard.privacy.erasure import anonymise_case, blank_customer
from heard.privacy.models import (
    AnonymisedCase,
    Erasure,
    ErasureSource,
    RetentionMode,
    RetentionRun,
    RetentionSchedule,
)
from heard.privacy.people import records_of


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def due_cases(schedule: RetentionSchedule, now: datetime) -> QuerySet[Case]:
    """Closed cases of the schedule's kind past its period, not yet anonymised."""
    return (
        Case.objects.filter(
            kind=schedule.kind,
            status=Status.CLOSED,
            closed_at__lt=years_before(now, schedule.years_after_closure),
        )
        .exclude(pk__in=AnonymisedCase.objects.values("case_id"))
        .order_by("closed_at", "pk")
    )


def _reported_since(schedule: RetentionSchedule) -> set[str]:
    """References the latest earlier run reported for this schedule, if made since its change.

    Every run reports all that is due and not yet anonymised, so the latest one suffices.
    """
    run = RetentionRun.objects.filter(at__gte=schedule.changed_at).order_by("-at", "-id").first()
    entry = ((run.report or {}).get(schedule.kind) or {}) if run else {}
    if entry.get("years") != schedule.years_after_closure:
        return set()
    return set(entry.get("reported", []))


def run_retention(
    *, now: datetime | None = None, by: Any = None, dry_run: bool = False
) -> RetentionRun:
    """Report (and, for schedules in apply mode, anonymise) the cases past their retention."""
    now = now or timezone.now()
    with transaction.atomic():
        report: dict[str, Any] = {}
        to_anonymise: list[tuple[RetentionSchedule, list[Case]]] = []
        for schedule in RetentionSchedule.objects.filter(active=True):
            due = list(due_cases(schedule, now).select_for_update())
            apply = not dry_run and schedule.mode == RetentionMode.APPLY
            confirmed = _reported_since(schedule) if apply else set()
            now_cases = [c for c in due if c.reference in confirmed]
            report[schedule.kind] = {
                "years": schedule.years_after_closure,
                "mode": schedule.mode,
                "reported": [c.reference for c in due if c.reference not in confirmed],
                "anonymised": [c.reference for c in now_cases],
            }
            if now_cases:
                to_anonymise.append((schedule, now_cases))
        erasure = None
        total = 0
        if to_anonymise:
            erasure = _anonymise(to_anonymise, by=by, now=now)
            total = sum(len(cases) for _, cases in to_anonymise)
        return RetentionRun.objects.create(
            at=now,
            dry_run=erasure is None,
            by=by if getattr(by, "pk", None) else None,
            report=report,
            erasure=erasure,
            total=total,
        )


def _anonymise(
    batches: list[tuple[RetentionSchedule, list[Case]]], *, by: Any, now: datetime
) -> Erasure:
    reasons = "; ".join(
        f"{s.get_kind_display()}: {s.years_after_closure} years after closure" for s, _ in batches
    )
    erasure = Erasure.objects.create(
        at=now,
        by=by if getattr(by, "pk", None) else None,
        by_username=by.get_username() if getattr(by, "pk", None) else "",
        source=ErasureSource.RETENTION,
        reason=f"Retention schedule ({reasons})",
    )
    counts: Counter[str] = Counter()
    references: list[str] = []
    people: set[int] = set()
    for _, cases in batches:
        for case in cases:
            anonymise_case(case, erasure=erasure, by=by, now=now, counts=counts)
            references.append(case.reference)
            people.add(case.customer_id)
            if case.representative_id:
                people.add(case.representative_id)
    # A person goes once none of their cases, as customer or representative, keeps their data.
    kept = set(
        Case.objects.exclude(pk__in=AnonymisedCase.objects.values("case_id"))
        .filter(customer_id__in=people)
        .values_list("customer_id", flat=True)
    ) | set(
        Case.objects.exclude(pk__in=AnonymisedCase.objects.values("case_id"))
        .filter(representative_id__in=people)
        .values_list("representative_id", flat=True)
    )
    blanked = []
    for person in Customer.objects.filter(pk__in=people - kept):
        # Duplicates merged into this record hold no cases of their own, but are the same person.
        for record in records_of(person) if person.merged_into_id is None else [person]:
            if record.pk in kept or record.pk in blanked:
                continue
            blank_customer(record, counts=counts)
            blanked.append(record.pk)
    erasure.customer_numbers = sorted(blanked)
    erasure.case_references = references
    erasure.counts = dict(counts)
    erasure.save(update_fields=["customer_numbers", "case_references", "counts"])
    return erasure


def apply_retention(now: datetime, schedule: Any = None) -> int:
    """The scheduled job: apply the retention schedules and delete expired subject access files."""
    from heard.privacy.subject_access import remove_expired

    run = run_retention(now=now)
    remove_expired(now)
    return run.total


def dry_run_now(*, by: Any) -> RetentionRun:
    """Record a dry-run report now, at the request of an information governance officer."""
    from heard.privacy import access

    access.require_information_governance(by)
    return run_retention(by=by, dry_run=True)


def latest_runs(limit: int = 20) -> list[RetentionRun]:
    return list(RetentionRun.objects.all()[:limit])
