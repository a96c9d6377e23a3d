"""Rate limits for public endpoints: a count per key in a rolling window, kept in the cache."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` were made in the window."""
    bucket = "rl:" + scope + ":" + hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    if cache.add(bucket, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window_seconds)
        return True
    return count <= limit
