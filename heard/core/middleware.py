"""Security headers and request-size limits applied to every response."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


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
