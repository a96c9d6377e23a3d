"""What the staff pages of several areas share: sign-in, refusals as 403/404, form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from heard.core.errors import DomainError, NotFound, NotPermitted

View = Callable[..., HttpResponseBase]


def staff_page(view: View) -> View:
    """Sign-in required; refusals become 403 and 404 pages."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotPermitted as error:
            raise PermissionDenied(error.message) from error
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal beside its field (or above the form); let 403 and 404 through."""
    if isinstance(error, NotPermitted | NotFound):
        raise error
    form.add_error(error.field if error.field in form.fields else None, error.message)
