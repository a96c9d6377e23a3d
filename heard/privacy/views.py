"""Information governance screens: thin views over the audit, subject access, erasure and retention."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from heard.cases.models import Kind
from heard.core.errors import DomainError, InvalidInput, NotFound, NotPermitted
from heard.privacy import access, audit, erasure, retention, subject_access
from heard.privacy.forms import ErasureForm, PersonForm, ReadFilterForm
from heard.privacy.models import Erasure, RetentionRun

View = Callable[..., HttpResponseBase]


def governance_view(view: View) -> View:
    """Signed in, and information governance; domain refusals become 403/404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.is_information_governance(request.user):
            raise PermissionDenied(
                "Only information governance officers and administrators may see this page."
            )
        try:
            return view(request, *args, **kwargs)
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def _form_error(form: Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@governance_view
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/home.html",
        {"erasures": Erasure.objects.all()[:20], "current": "home"},
    )


@governance_view
def reads(request: HttpRequest) -> HttpResponse:
    form = ReadFilterForm(request.GET or None)
    filters = audit.ReadFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = audit.ReadFilters(
            person=data["person"] or "",
            case_reference=data["case"] or "",
            customer_number=data["customer"],
            from_date=data["from_date"],
            to_date=data["to_date"],
        )
    page = Paginator(audit.reads(filters), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/reads.html",
        {"form": form, "page": page, "query": query.urlencode(), "current": "reads"},
    )


@governance_view
@require_http_methods(["GET", "POST"])
def subject_access_requests(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject_access.request_export(by=request.user, customer=form.cleaned_data["customer"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "The export is being prepared. Refresh this page in a minute to download it.",
            )
            return redirect("privacy:subject-access")
    return render(
        request,
        "privacy/subject_access.html",
        {
            "form": form,
            "exports": subject_access.exports_for(request.user),
            "days": settings.HEARD_SUBJECT_ACCESS_DAYS,
            "current": "subject-access",
        },
    )


@governance_view
def subject_access_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    try:
        path = subject_access.open_for_download(by=request.user, export_id=pk)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("privacy:subject-access")
    export = subject_access.SubjectAccessExport.objects.get(pk=pk)
    audit.record_read(
        request,
        customer=export.customer,
        what="Subject access export downloaded (everything held about the person)",
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"subject-access-customer-{export.customer_number}.zip",
        content_type="application/zip",
    )


@governance_view
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = erasure.erase_person(
                by=request.user,
                customer=data["customer"],
                reason=data["reason"],
                confirmed=data["confirmed"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The person's personal data was erased.")
            return redirect("privacy:erasure", pk=done.pk)
    return render(request, "privacy/erase.html", {"form": form, "current": "erase"})


@governance_view
def erasure_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Erasure, pk=pk)
    return render(request, "privacy/erasure.html", {"erasure": record, "current": "erase"})


@governance_view
@require_http_methods(["GET", "POST"])
def retention_runs(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        run = retention.dry_run_now(by=request.user)
        messages.success(
            request,
            f"Dry run recorded: {run.reported_total} cases are past their retention period.",
        )
        return redirect("privacy:retention-run", pk=run.pk)
    return render(
        request,
        "privacy/retention.html",
        {
            "runs": retention.latest_runs(),
            "schedules": retention.RetentionSchedule.objects.all(),
            "current": "retention",
        },
    )


@governance_view
def retention_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(RetentionRun, pk=pk)
    rows = [
        {"kind": Kind(kind).label if kind in Kind.values else kind, **entry}
        for kind, entry in sorted((run.report or {}).items())
    ]
    return render(
        request, "privacy/retention_run.html", {"run": run, "rows": rows, "current": "retention"}
    )
