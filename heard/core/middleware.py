"""Request IDs, security headers and request-size limits applied to every response."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.log import log_response

from heard.core.logs import accept_request_id, current_request_id

access_logger = logging.getLogger("heard.request")


class RequestIdMiddleware:
    """Give every request an ID (the proxy's X-Request-ID if it sent a usable one), put it on
    the response and on every log record written while answering — and on the background
    jobs the request enqueues, so the worker's log lines can be found from the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if response.status_code >= 400:
                # Django logs errors after the middleware has returned; log them here, as Django
                # would (it then skips its own), so that the line carries the request ID.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(1000 * (time.perf_counter() - started), 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class ProxiedClientAddressMiddleware:
    """Behind HEARD_PROXY_COUNT reverse proxies, REMOTE_ADDR is the client's address as the
    nearest trusted proxy saw it (the X-Forwarded-For entry that many from the right), so
    per-address rate limits count people, not the proxy. With no proxies configured the header
    is ignored: anyone could forge it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = settings.HEARD_PROXY_COUNT
        if proxies:
            forwarded = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(forwarded) >= proxies:
                request.META["REMOTE_ADDR"] = forwarded[-proxies]
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (Django sets the others)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class ApiBodyLimitMiddleware:
    """Refuse oversized API bodies before they are read (the JSON parser reads without a limit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = settings.HEARD_API_MAX_BODY_BYTES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > self.limit:
                return JsonResponse(
                    {
                        "detail": f"The request is too large: at most {self.limit:,} bytes are accepted.",
                        "code": "request_too_large",
                    },
                    status=413,
                )
        return self.get_response(request)


API_ERROR_CODES = {
    400: ("bad_request", "The request could not be read. Send JSON with a Content-Type header."),
    404: (
        "not_found",
        "There is nothing at this address in the API. Its paths are listed at /api/v1/docs.",
    ),
    405: ("method_not_allowed", "This address does not accept that method."),
    413: ("request_too_large", "The request is too large."),
    500: ("server_error", "Something went wrong on our side. Try again later."),
}


class ApiErrorShapeMiddleware:
    """Every API error is JSON with ``detail`` and ``code``, as the API documents.

    DRF's exception handler (``heard.core.api``) answers errors inside a view; this covers the
    ones Django answers before or around a view — an address no route matches (a reference with
    characters a reference never has), a body Django refuses to parse, a crash — which would
    otherwise come back as an HTML page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, detail = API_ERROR_CODES.get(
            response.status_code, ("error", "The request could not be completed.")
        )
        shaped = JsonResponse({"detail": detail, "code": code}, status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                shaped[header] = response[header]
        return shaped
