"""The external assessor's boundary, applied to every request (see heard.improvement.assessors).

Staff pages that only ask for a signed-in person (the work queues, search, the account
pages) and the API would otherwise let an assessor's account in; this refuses everything but
the granted assessment's pages and the account pages, and records every request an assessor
makes, let in or refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from heard.improvement import assessors

GUARDED = ("/staff/", "/admin/", "/api/")
REFUSED = (
    "An external assessor sees only the assessment they were given access to, until the last "
    "day of access. Ask the organisation's performance officer if you need more."
)


class ExternalAssessorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(GUARDED):
            return self.get_response(request)
        grant = assessors.access_of(_person(request))
        if grant is None:
            return self.get_response(request)

        from heard.cases.selectors import local_today

        today = local_today()
        try:
            match = resolve(path)
            route, kwargs = match.view_name, match.kwargs
        except Resolver404:
            route, kwargs = "", {}
        response: Any
        if route in ("staff:home", "improvement:index") and assessors.is_live(grant, today=today):
            response = HttpResponseRedirect(
                reverse("improvement:assessment", args=[grant.assessment_id])
            )
        elif assessors.may_open(grant, route=route, kwargs=kwargs, today=today):
            response = self.get_response(request)
        else:
            response = response_for_exception(request, PermissionDenied(REFUSED))
        assessors.record_view(
            grant,
            method=request.method or "GET",
            path=request.get_full_path(),
            route=route,
            status_code=response.status_code,
        )
        return response


def _person(request: HttpRequest) -> Any:
    """The session's user, or for the API the owner of a bearer token (checked by DRF later)."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        return user
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if request.path_info.startswith("/api/") and scheme.lower() == "bearer" and token.strip():
        from heard.org.tokens import user_for_request

        return user_for_request(request, token.strip())
    return None
