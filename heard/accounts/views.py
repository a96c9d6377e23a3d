"""Staff sign-in pages: thin views over heard.accounts.services."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import django_otp
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from heard.accounts import services
from heard.accounts.forms import CodeForm, SignInForm
from heard.accounts.services import SecondFactor
from heard.core.errors import DomainError

logger = logging.getLogger(__name__)


def _next_url(request: HttpRequest) -> str:
    """Where to go afterwards: a safe ``next`` on this site, or the staff home page."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _after_sign_in(request: HttpRequest, destination: str) -> HttpResponse:
    step = services.second_factor(request.user, request.session)
    if step is SecondFactor.MUST_ENTER_CODE:
        return redirect_to_login(destination, reverse("accounts:two-step-code"))
    if step is SecondFactor.MUST_SET_UP:
        return redirect_to_login(destination, reverse("accounts:two-step-set-up"))
    return HttpResponseRedirect(destination)


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if services.single_sign_on_enabled():
            query = urlencode({REDIRECT_FIELD_NAME: self.get_redirect_url()})
            context["single_sign_on"] = {
                "name": settings.HEARD_OIDC_PROVIDER_NAME,
                "url": f"{reverse('accounts:single-sign-on')}?{query}",
            }
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        auth_login(self.request, form.get_user())
        services.start_session(
            self.request.session, signed_in_with=services.PASSWORD, now=time.time()
        )
        return _after_sign_in(self.request, self.get_success_url())


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    logout(request)
    if signed_in:
        messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes shows this instead of the sign-in page while signing in is paused."""
    cool_off = int(services.sign_in_cool_off().total_seconds() // 60)
    context = {
        "failure_limit": services.sign_in_failure_limit(),
        "cool_off": services.minutes(cool_off),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "has_authenticator": services.has_authenticator(request.user),
            "two_step_required": settings.HEARD_REQUIRE_2FA,
            "signed_in_with_single_sign_on": (
                request.session.get(services.SIGNED_IN_WITH) == services.SINGLE_SIGN_ON
            ),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_step_code(request: HttpRequest) -> HttpResponse:
    """After a password, the code from the person's authenticator app."""
    destination = _next_url(request)
    if services.second_factor(request.user, request.session) is not SecondFactor.MUST_ENTER_CODE:
        return _after_sign_in(request, destination)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.check_code(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            return HttpResponseRedirect(destination)
    return render(request, "accounts/two_step_code.html", {"form": form, "next": destination})


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_step_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm a code."""
    destination = _next_url(request)
    if services.second_factor(request.user, request.session) is SecondFactor.MUST_ENTER_CODE:
        # Whoever has only the password must not be able to add an authenticator of their own.
        return redirect_to_login(request.get_full_path(), reverse("accounts:two-step-code"))
    device = services.authenticator_being_set_up(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.confirm_authenticator(
                user=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            messages.success(
                request,
                "Two-step verification is on. Next time you sign in with your password, "
                "you will also need a code from your authenticator app.",
            )
            return HttpResponseRedirect(destination)
        device = services.authenticator_being_set_up(request.user)
    return render(
        request,
        "accounts/two_step_set_up.html",
        {
            "form": form,
            "next": destination,
            "qr_code": services.qr_code(device),
            "key": services.readable_key(device),
            "replacing": services.has_authenticator(request.user),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_step_turn_off(request: HttpRequest) -> HttpResponse:
    if not services.has_authenticator(request.user):
        return redirect("accounts:account")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.turn_off_two_step_verification(
                user=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, "Two-step verification is off.")
            return redirect("accounts:account")
    return render(
        request,
        "accounts/two_step_turn_off.html",
        {"form": form, "two_step_required": settings.HEARD_REQUIRE_2FA},
    )


class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Send the person to the identity provider (404 when single sign-on is off)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.single_sign_on_enabled():
            raise Http404("Single sign-on is not set up.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the person back with a code."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not services.single_sign_on_enabled():
            raise Http404("Single sign-on is not set up.")
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            logger.warning("Single sign-on failed: %s", error)
            return self.login_failure()

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        services.start_session(
            self.request.session, signed_in_with=services.SINGLE_SIGN_ON, now=time.time()
        )
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            f"Signing in with {settings.HEARD_OIDC_PROVIDER_NAME} did not work. Try again. "
            "If it keeps happening, ask a Heard administrator in your organisation.",
        )
        return redirect("accounts:sign-in")
