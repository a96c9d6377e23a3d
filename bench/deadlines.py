"""Re-time every open case after a closure day is added, beside numpy's floor.

python -m bench.deadlines RUNS — prints JSON with the median, min and max of each.
"""

import json
import statistics
import sys
import time
from datetime import timedelta

import django

django.setup()

import numpy as np  # noqa: E402
from django.utils import timezone  # noqa: E402

from heard.cases.deadlines import recompute_open_cases  # noqa: E402
from heard.cases.models import OPEN_STATUSES, Case  # noqa: E402
from heard.org.calendars import organisation_calendar  # noqa: E402
from heard.org.models import ClosureDay  # noqa: E402


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 5),
        "min": round(min(values), 5),
        "max": round(max(values), 5),
    }


runs = int(sys.argv[1])
today = organisation_calendar().local_date(timezone.now())
closure = today + timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
recompute, floor = [], []
open_cases = Case.objects.filter(status__in=OPEN_STATUSES).count()
for _ in range(runs):
    ClosureDay.objects.get_or_create(date=closure)
    started = time.perf_counter()
    recompute_open_cases(organisation_calendar())
    recompute.append(time.perf_counter() - started)
    ClosureDay.objects.filter(date=closure).delete()
    recompute_open_cases(organisation_calendar())

    # The floor: numpy alone over the same dates, with the data already in memory.
    days = np.array(
        list(
            Case.objects.filter(status__in=OPEN_STATUSES).values_list("deemed_received", flat=True)
        ),
        dtype="datetime64[D]",
    )
    holidays = np.array(
        [*sorted(organisation_calendar().non_working_days), closure], dtype="datetime64[D]"
    )
    started = time.perf_counter()
    np.busday_offset(days, 10, roll="forward", holidays=holidays)
    floor.append(time.perf_counter() - started)

print(
    json.dumps(
        {"open_cases": open_cases, "recompute": summary(recompute), "numpy_floor": summary(floor)}
    )
)
