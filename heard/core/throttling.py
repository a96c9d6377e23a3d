"""API throttles. Kept apart from heard.core.api: DRF reads DEFAULT_THROTTLE_CLASSES while
defining its views, so this module must not import them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from heard.core import ratelimit


class TokenReadThrottle(BaseThrottle):
    """Reads per API token in a rolling minute (HEARD_API_READS_PER_TOKEN_PER_MINUTE; 0: none).

    A leaked or runaway token cannot page out the whole case list faster than this; writes
    are left to the domain's own checks. Browser sessions (the staff screens) are not counted.
    Over the limit the API answers 429 with ``Retry-After``.
    """

    window_seconds = 60

    def allow_request(self, request: Any, view: Any) -> bool:
        limit = settings.HEARD_API_READS_PER_TOKEN_PER_MINUTE
        token = request.auth if isinstance(request.auth, str) else ""
        if not limit or not token or request.method not in SAFE_METHODS:
            return True
        return ratelimit.allow("api-read", token, limit=limit, window_seconds=self.window_seconds)

    def wait(self) -> float:
        return float(self.window_seconds)
