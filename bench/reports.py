"""Time the performance figures at N cases, beside hand-written SQL aggregates (the floor).

python -m bench.reports RUNS — prints JSON with the median, min and max of each:

* dashboard: every figure of the performance dashboard for the last full quarter of the data,
  every service (heard.reporting.selectors.dashboard);
* annual: the annual complaints performance report for the last full financial year
  (heard.reporting.selectors.annual_report, which also computes the year before);
* floor: one hand-written SQL statement per period over the stage-record table, counting the
  stages answered and answered on time (the cheapest query any of those figures could be);
  the figures do several such aggregates, so expect a small multiple of the floor.

Call ``measure(runs)`` from the harness, or run this module in a process with the benchmark's
environment (DJANGO_SETTINGS_MODULE and DATABASE_URL), as bench/deadlines.py is run.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 5),
        "min": round(min(values), 5),
        "max": round(max(values), 5),
    }


def _timed(runs: int, work: Callable[[], Any]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def _floor_sql(vendor: str, zone: str) -> str:
    if vendor == "postgresql":
        day = f"(responded_at AT TIME ZONE '{zone}')::date"
    else:
        day = "date(responded_at)"
    return (
        "SELECT number, COUNT(*), "  # noqa: S608 - no user input
        f"SUM(CASE WHEN {day} <= respond_by THEN 1 ELSE 0 END) "
        "FROM cases_stagerecord WHERE responded_at >= %s AND responded_at < %s GROUP BY number"
    )


def measure(runs: int = 3) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max

    from heard.cases.models import Case, StageRecord
    from heard.org.calendars import organisation_calendar
    from heard.reporting import periods, selectors
    from heard.reporting.figures import Scope

    calendar = organisation_calendar()
    latest = Case.objects.aggregate(latest=Max("received_at"))["latest"]
    if latest is None:
        return {"cases": 0}
    last_day = calendar.local_date(latest)
    quarter = periods.containing(last_day, "quarter").previous()
    year = periods.containing(last_day, "financial_year").previous()
    today = last_day + timedelta(days=1)

    def scope(period: periods.Period) -> Scope:
        return Scope(period=period, calendar=calendar, today=today)

    def floor(period: periods.Period) -> Callable[[], Any]:
        sql = _floor_sql(connection.vendor, str(calendar.timezone))
        start, end = period.instants(calendar.timezone)

        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, [start, end])
                return cursor.fetchall()

        return run

    dashboard = _timed(runs, lambda: selectors.dashboard(scope(quarter)))
    annual = _timed(runs, lambda: selectors.annual_report(scope(year)))
    quarter_floor = _timed(runs, floor(quarter))
    year_floor = _timed(runs, floor(year))
    return {
        "cases": Case.objects.count(),
        "stage_records": StageRecord.objects.count(),
        "quarter": quarter.key,
        "financial_year": year.key,
        "dashboard": summary(dashboard),
        "dashboard_sql_floor": summary(quarter_floor),
        "annual": summary(annual),
        "annual_sql_floor": summary(year_floor),
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
