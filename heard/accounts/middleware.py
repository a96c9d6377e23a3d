"""Idle sign-out and the two-step verification gate in front of the staff pages and the admin."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from heard.accounts import services
from heard.accounts.services import SecondFactor

# Pages for signed-in staff. /api/ is handled apart: it answers with JSON, not redirects.
STAFF_PREFIXES = ("/staff/", "/admin/")


class IdleTimeoutMiddleware:
    """Sign out a session left unused for HEARD_SESSION_IDLE_MINUTES, and say why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not services.still_active(
            request.session, now=time.time()
        ):
            logout(request)
            if request.path_info.startswith(STAFF_PREFIXES):
                # Staff pages send anyone signed out to the sign-in page, which shows this.
                messages.info(request, services.idle_sign_out_message())
        return self.get_response(request)


class TwoStepVerificationMiddleware:
    """Until a signed-in person has entered their code (or set up an app, where required),
    staff and admin pages send them to do that, and the API does not see their session.

    Runs after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        guarded = path.startswith(STAFF_PREFIXES) or path.startswith("/api/")
        if guarded and request.user.is_authenticated:
            step = services.second_factor(request.user, request.session)
            if step is not SecondFactor.SATISFIED:
                if path.startswith("/api/"):
                    # Bearer tokens still work; a half-signed-in session counts for nothing.
                    request.user = AnonymousUser()
                elif request.path not in _open_while(step):
                    target = reverse(
                        "accounts:two-step-code"
                        if step is SecondFactor.MUST_ENTER_CODE
                        else "accounts:two-step-set-up"
                    )
                    if request.method != "GET":
                        return HttpResponseRedirect(target)
                    return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)


def _open_while(step: SecondFactor) -> set[str]:
    """The pages someone may use before they have passed the second step."""
    pages = {"accounts:sign-in", "accounts:sign-out"}
    pages.add(
        "accounts:two-step-code"
        if step is SecondFactor.MUST_ENTER_CODE
        else "accounts:two-step-set-up"
    )
    return {reverse(name) for name in pages}
