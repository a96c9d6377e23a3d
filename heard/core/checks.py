"""System checks of Heard's own settings, run by ``heard check`` (``--deploy`` for these)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Caches that keep nothing between processes (each gunicorn worker has its own memory) or
# nothing at all: the public forms' rate limits would be counted per worker, or not at all.
UNSHARED_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def rate_limits_are_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in UNSHARED_CACHES:
        return []
    return [
        Warning(
            f"The public forms' rate limits are kept in {backend.rsplit('.', 1)[-1]}: "
            "each web worker counts its own (or, with the dummy cache, nothing is counted).",
            hint=(
                "Set HEARD_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache and "
                "HEARD_CACHE_LOCATION=heard_cache, then run 'heard createcachetable' "
                "(or use a Redis cache); see docs/administrators.md."
            ),
            id="heard.W001",
        )
    ]
