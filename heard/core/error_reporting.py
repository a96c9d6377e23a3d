"""Optional error reporting and tracing through the Sentry SDK: off unless SENTRY_DSN is set.

The SDK is an optional extra (``pip install 'heard[sentry]'``). It works with Sentry itself
or any service that accepts its protocol (GlitchTip, a self-hosted Sentry). Personal data is
kept out: no request bodies, cookies, stack-frame variables, user names or addresses are
sent, only the error, its stack, the path and the request ID that also appears in Heard's own logs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from heard.core.logs import current_request_id


def start(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Initialise the SDK when a DSN is given; returns whether error reporting is on."""
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as missing:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but the Sentry SDK is not installed: pip install 'heard[sentry]'."
        ) from missing
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,  # a stack frame's variables may hold a customer's details
        max_request_body_size="never",
        before_send=_with_request_id,
        before_send_transaction=_with_request_id,
    )
    return True


def _with_request_id(event: Any, hint: Any) -> Any:
    """Tag the event with the request ID, so it can be found in the logs; drop cookies."""
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in list(headers):
                if name.lower() in {"cookie", "authorization", "x-csrftoken"}:
                    del headers[name]
    return event
