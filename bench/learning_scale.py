"""Time what the learning area does at N cases: what a page waits for, and the nightly jobs.

python -m bench.learning_scale RUNS — prints JSON. Run it in a process with the benchmark's
environment (DJANGO_SETTINGS_MODULE and DATABASE_URL), as bench/reports.py is run, on a
database loaded with ``heard demo --cases N``:

* retrain: the nightly job that trains theme suggestions afresh on the classified history
  (``heard.learning.jobs.retrain_theme_model``), once. The demo records no themes, so where
  there is no history the benchmark first records one theme for each of the newest answered
  contacts, up to the training limit (``HEARD_LEARNING_MAX_TRAINING_CASES``), as officers do
  at response: the same theme for the same subject, so that there is something to learn;
* early warnings: the morning job (repeat contacts of the last week, then every theme,
  service and area against its own history), once;
* triage panel: what the triage screen adds once the officer has typed a contact — suggested
  themes, related cases and whether the customer contacted us about the same thing recently
  (``heard.learning.panels.triage_suggestions_context``) — for several recent contacts;
* case panel: the same for an existing case's page (``case_panel_context``).

Page figures are the median, minimum and maximum over the samples; the first call of each
(which loads the trained model) is reported apart as ``cold``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def _seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * statistics.median(values), 1),
        "min_ms": round(1000 * min(values), 1),
        "max_ms": round(1000 * max(values), 1),
    }


def measure(samples: int = 20) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from django.utils import timezone

    from heard.cases.models import Case
    from heard.learning import jobs, panels

    latest = Case.objects.aggregate(latest=Max("received_at"))["latest"]
    if latest is None:
        return {"cases": 0}
    now = max(timezone.now(), latest)
    officer = get_user_model().objects.get(username="complaints1")
    recent = list(
        Case.objects.select_related("customer")
        .exclude(description="")
        .order_by("-received_at")[: samples + 1]
    )

    trained_on = 0

    def retrain() -> None:
        nonlocal trained_on
        trained_on = jobs.retrain_theme_model(now)

    warnings = 0

    def early_warnings() -> None:
        nonlocal warnings
        warnings = jobs.raise_early_warnings(now)

    seeded = _seed_history()
    retrain_seconds = _seconds(retrain)
    warning_seconds = _seconds(early_warnings)

    def triage(case: Case) -> Callable[[], Any]:
        contact = {
            "name": case.customer.name,
            "email": case.customer.email,
            "phone": case.customer.phone,
            "service": str(case.service_id or ""),
        }
        text = f"{case.subject}\n{case.description}"
        return lambda: panels.triage_suggestions_context(officer, text, contact=contact)

    def case_page(case: Case) -> Callable[[], Any]:
        return lambda: panels.case_panel_context(officer, case)

    triage_cold = _seconds(triage(recent[0]))
    triage_times = [_seconds(triage(case)) for case in recent[1:]]
    case_cold = _seconds(case_page(recent[0]))
    case_times = [_seconds(case_page(case)) for case in recent[1:]]
    return {
        "cases": Case.objects.count(),
        "retrain_seconds": round(retrain_seconds, 2),
        "retrain_examples": trained_on,
        "history_recorded_for_the_benchmark": seeded,
        "early_warnings_seconds": round(warning_seconds, 2),
        "early_warnings_raised": warnings,
        "triage_panel": {**_summary(triage_times), "cold_ms": round(1000 * triage_cold, 1)},
        "case_panel": {**_summary(case_times), "cold_ms": round(1000 * case_cold, 1)},
        "samples": len(recent) - 1,
    }


def _seed_history() -> int:
    """Record themes for the newest answered contacts when none are recorded (see above)."""
    import zlib

    from django.conf import settings
    from django.db import transaction

    from heard.cases.models import StageRecord
    from heard.learning.models import Classification, Theme

    if Classification.objects.exists():
        return 0
    themes = list(Theme.objects.filter(active=True).order_by("position"))
    answered = (
        StageRecord.objects.filter(responded_at__isnull=False)
        .order_by("-responded_at")
        .values_list("case_id", "number", "case__subject", "responded_at")[
            : settings.HEARD_LEARNING_MAX_TRAINING_CASES
        ]
    )
    # responded_at is never None here (the filter); the comprehension says so to mypy
    rows = [(case, number, subject, at) for case, number, subject, at in answered if at]
    with transaction.atomic():
        made = Classification.objects.bulk_create(
            [
                Classification(case_id=case_id, stage_number=number, at=at)
                for case_id, number, _, at in rows
            ],
            batch_size=5000,
        )
        through = Classification.themes.through
        through.objects.bulk_create(
            [
                through(
                    classification_id=made_row.pk,
                    theme_id=themes[zlib.crc32(subject.encode()) % len(themes)].pk,
                )
                for made_row, (_, _, subject, _) in zip(made, rows, strict=True)
            ],
            batch_size=5000,
        )
    return len(rows)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 20)))
