"""Heard's benchmarks (see bench/README.md)."""

from __future__ import annotations

import hashlib
import statistics
import time
from typing import Any


def speed_probe() -> float:
    """Seconds for a fixed piece of pure-Python work (hashing and sorting), best of three.

    Taken just before Heard's intake runs and just before django-helpdesk's, and kept in the
    results: on a shared machine the cores can be slower in one part of a run than another,
    and a ratio of the two intakes means little if the probe moved between them.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        digests = sorted(hashlib.sha256(str(n).encode()).hexdigest() for n in range(200_000))
        assert len(digests) == 200_000
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


# What an intake run must not have: each is counted after the run, and any of them fails it.
INTAKE_PROBLEMS = ("lost", "duplicated", "server_errors")


def intake_summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Several intake runs (Heard's or django-helpdesk's) as one figure: the median, min and
    max submissions per second, the problems added up, and the runs themselves."""
    per_second = [run["per_second"] for run in runs]
    return {
        "median": round(statistics.median(per_second), 1),
        "min": min(per_second),
        "max": max(per_second),
        **{problem: sum(run[problem] for run in runs) for problem in INTAKE_PROBLEMS},
        "runs": runs,
    }


def intake_problems(result: dict[str, Any], areas: tuple[str, ...]) -> list[str]:
    """ "<area> <problem>" for every problem any of ``areas``' intake summaries counted."""
    return [
        f"{area} {problem}"
        for area in areas
        for problem in INTAKE_PROBLEMS
        if result[area][problem]
    ]
