"""Heard's benchmarks (see bench/README.md)."""

from __future__ import annotations

import hashlib
import time


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
