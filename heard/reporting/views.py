"""The reporting pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from heard.cases.models import Channel
from heard.core.errors import DomainError, NotFound, NotPermitted
from heard.org.calendars import get_organisation, organisation_calendar
from heard.reporting import (
    access,
    documents,
    periods,
    selectors,
    selfassessment,
    services,
    standards,
)
from heard.reporting.figures import Scope
from heard.reporting.forms import ExplainForm, FilterForm, ImportForm, PeriodForm, PublishForm
from heard.reporting.models import Import, Publication, ReportFile, Standard

View = Callable[..., HttpResponse]


def reports_view(view: View) -> View:
    """Signed in, and allowed to see reports; domain refusals become 403/404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.may_see_reports(request.user):
            raise PermissionDenied("You cannot see performance reports.")
        try:
            return view(request, *args, **kwargs)
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a reports page with what its sub-navigation needs."""
    context.setdefault("may_manage", access.may_manage_standards(request.user))
    context.setdefault("may_publish", access.may_publish(request.user))
    context.setdefault("may_see_reports", access.may_see_reports(request.user))
    context.setdefault("may_see_equality", access.may_see_equality(request.user))
    return render(request, template, context)


def _today() -> Any:
    return organisation_calendar().local_date(timezone.now())


def _filters(request: HttpRequest, *, default_kind: str = "quarter") -> tuple[FilterForm, Any]:
    """The filter form (bound to the query string) and the filters it gives."""
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = periods.containing(_today(), default_kind).key
    form = FilterForm(
        data,
        services=selectors.services_for(request.user),
        directorates=selectors.directorates_for(request.user),
    )
    if not form.is_valid():
        fallback = periods.containing(_today(), default_kind)
        return form, selectors.Filters(period=fallback)
    clean = form.cleaned_data
    return form, selectors.Filters(
        period=clean["period"],
        service_id=clean.get("service"),
        directorate_id=clean.get("directorate"),
        kind=clean.get("kind") or "",
        channel=clean.get("channel") or "",
        stage=clean.get("stage"),
    )


def _csv(filename: str, rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    return response


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@reports_view
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    scope = selectors.scope_for(request.user, filters)
    report = selectors.dashboard(scope)
    if request.GET.get("format") == "csv":
        return _csv(
            f"performance-{filters.period.key}.csv", selectors.csv_rows(report, filters.period)
        )
    report["trends"] = selectors.standard_trends(scope)
    return _render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "period": filters.period,
            "scope": scope,
            "report": report,
            "channels": Channel.choices,
            "query": request.GET.urlencode(),
            "may_manage": access.may_manage_standards(request.user),
            "may_publish": access.may_publish(request.user),
        },
    )


@reports_view
@require_http_methods(["GET", "POST"])
def standard(request: HttpRequest, code: str) -> HttpResponse:
    the_standard = get_object_or_404(Standard, code=code)
    _, filters = _filters(request)
    scope = selectors.scope_for(request.user, filters)
    measurement = standards.measure_all(scope, [the_standard])[0]
    existing = measurement.explanation
    form = ExplainForm(
        request.POST or None,
        initial={"explanation": existing.explanation, "action": existing.action}
        if existing
        else None,
    )
    may_manage = access.may_manage_standards(request.user)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("You cannot explain dips.")
        if form.is_valid():
            try:
                services.explain_dip(
                    by=request.user,
                    standard=the_standard,
                    period=filters.period,
                    explanation=form.cleaned_data["explanation"],
                    action=form.cleaned_data["action"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"Explanation saved for {filters.period.label}.")
                return redirect(
                    reverse("reporting:standard", args=[code]) + f"?period={filters.period.key}"
                )
    return _render(
        request,
        "reporting/standard.html",
        {
            "standard": the_standard,
            "period": filters.period,
            "measurement": measurement,
            "trend": standards.trend(the_standard, scope),
            "form": form,
            "may_manage": may_manage,
        },
    )


@reports_view
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    if not access.may_manage_standards(request.user):
        raise PermissionDenied("You cannot import measurements.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.upload_import(
                by=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                raw=upload.read(),
            )
        except DomainError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
        else:
            return redirect("reporting:import", pk=created.pk)
    return _render(
        request,
        "reporting/imports.html",
        {
            "form": form,
            "recent": Import.objects.select_related("uploaded_by").defer("content")[:20],
            "mystery_codes": Standard.objects.filter(source="mystery_shopping", active=True),
        },
    )


@reports_view
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.may_manage_standards(request.user):
        raise PermissionDenied("You cannot import measurements.")
    upload = get_object_or_404(Import.objects.defer("content"), pk=pk)
    return _render(request, "reporting/import.html", {"upload": upload})


def _document_page(
    request: HttpRequest,
    kind: str,
    *,
    form: Any,
    filters: selectors.Filters,
    scope: Scope,
    options: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A report as a page, or as CSV with ?format=csv; the page offers it as PDF."""
    document = documents.DOCUMENTS[kind]
    context = document.build(scope, options or {})
    if request.GET.get("format") == "csv":
        filename = f"{kind.replace('_', '-')}-{filters.period.key}.csv"
        return _csv(filename, document.csv(context, filters.period))
    return _render(
        request,
        f"reporting/{kind}.html",
        {
            **context,
            **(extra or {}),
            "document": document,
            "form": form,
            "period": filters.period,
            "filters": filters,
            "options": options or {},
            "organisation": get_organisation(),
            "query": request.GET.urlencode(),
        },
    )


@reports_view
def annual(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="financial_year")
    scope = selectors.scope_for(request.user, filters)
    return _document_page(request, "annual", form=form, filters=filters, scope=scope)


@reports_view
def panel(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="month")
    scope = selectors.scope_for(request.user, filters)
    return _document_page(request, "panel", form=form, filters=filters, scope=scope)


@reports_view
def quarterly(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="quarter")
    scope = selectors.scope_for(request.user, filters)
    return _document_page(request, "quarterly", form=form, filters=filters, scope=scope)


@reports_view
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="financial_year")
    scope = selectors.scope_for(request.user, filters)
    code = selfassessment.CODES.get(request.GET.get("code", "")) or selfassessment.code_in_use()
    may_manage = access.may_manage_standards(request.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("You cannot write the self-assessment.")
        for section in code.sections:
            try:
                services.comment_on_self_assessment(
                    by=request.user,
                    code=code.key,
                    period=filters.period,
                    section=section.key,
                    commentary=request.POST.get(f"comment-{section.key}", ""),
                )
            except DomainError as error:
                errors[section.key] = error.message
        if not errors:
            messages.success(request, f"Commentary saved for {filters.period.label}.")
            return redirect(
                reverse("reporting:self_assessment")
                + f"?period={filters.period.key}&code={code.key}"
            )
    return _document_page(
        request,
        "self_assessment",
        form=form,
        filters=filters,
        scope=scope,
        options={"code": code.key},
        extra={
            "codes": selfassessment.CODES.values(),
            "may_manage": may_manage,
            "comment_errors": errors,
            "posted": {s.key: request.POST.get(f"comment-{s.key}", "") for s in code.sections}
            if request.method == "POST"
            else None,
        },
    )


def equality_view(view: View) -> View:
    """Signed in, and an equality officer or administrator."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.may_see_equality(request.user):
            raise PermissionDenied("Only equality officers and administrators see this report.")
        return view(request, *args, **kwargs)

    return wrapper


@equality_view
def equality(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = periods.containing(_today(), "financial_year").key
    form = PeriodForm(data)
    period = (
        form.cleaned_data["period"]
        if form.is_valid()
        else periods.containing(_today(), "financial_year")
    )
    calendar = organisation_calendar()
    scope = Scope(period=period, calendar=calendar, today=_today())
    return _document_page(
        request, "equality", form=form, filters=selectors.Filters(period=period), scope=scope
    )


# -- PDF files -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def request_pdf(request: HttpRequest) -> HttpResponse:
    """Queue the report the page shows to be made as PDF, then show its progress."""
    kind = request.POST.get("kind", "")
    if kind not in documents.DOCUMENTS:
        raise Http404("There is no such report.")
    try:
        if kind == "equality":
            access.require_see_equality(request.user)
            period = periods.parse(request.POST.get("period", ""))
            calendar = organisation_calendar()
            scope = Scope(period=period, calendar=calendar, today=_today())
        else:
            if not access.may_see_reports(request.user):
                raise NotPermitted("You cannot see performance reports.")
            service = request.POST.get("service") or None
            filters = selectors.Filters(
                period=periods.parse(request.POST.get("period", "")),
                service_id=int(service) if service and service.isdigit() else None,
            )
            scope = selectors.scope_for(request.user, filters)
        options = {"code": request.POST["code"]} if request.POST.get("code") else {}
        report_file = services.request_pdf(by=request.user, kind=kind, scope=scope, options=options)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except NotFound as error:
        raise Http404(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(request.META.get("HTTP_REFERER") or reverse("reporting:dashboard"))
    return redirect("reporting:report_file", pk=report_file.pk)


def _report_file(request: HttpRequest, pk: int, *, content: bool = False) -> ReportFile:
    files = ReportFile.objects.all() if content else ReportFile.objects.defer("content")
    report_file = get_object_or_404(files, pk=pk)
    if not access.may_download(request.user, report_file):
        raise PermissionDenied("You cannot see this report.")
    return report_file


@login_required
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    the_file = _report_file(request, pk)
    return _render(
        request,
        "reporting/report_file.html",
        {"report_file": the_file, "may_see_reports": access.may_see_reports(request.user)},
    )


@login_required
def download_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    the_file = _report_file(request, pk, content=True)
    if the_file.status != ReportFile.Status.READY:
        raise Http404("This report is not ready yet.")
    response = HttpResponse(bytes(the_file.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{the_file.filename}"'
    return response


@reports_view
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    if not access.may_publish(request.user):
        raise PermissionDenied("You cannot publish figures.")
    _, filters = _filters(request)
    existing = Publication.objects.filter(period_key=filters.period.key).first()
    form = PublishForm(
        request.POST or None, initial={"improvements": existing.improvements if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        if request.POST.get("withdraw"):
            services.withdraw_publication(by=request.user, period_key=filters.period.key)
            messages.success(
                request, f"The figures for {filters.period.label} are no longer public."
            )
            return redirect(reverse("reporting:publish") + f"?period={filters.period.key}")
        try:
            services.publish(
                by=request.user,
                period=filters.period,
                improvements=form.cleaned_data["improvements"],
            )
        except DomainError as error:
            form.add_error("improvements" if error.field == "improvements" else None, error.message)
        else:
            messages.success(request, f"The figures for {filters.period.label} are published.")
            return redirect(reverse("reporting:publish") + f"?period={filters.period.key}")
    from heard.equality.services import SUPPRESS_BELOW

    preview = selectors.public_figures(filters.period, suppress_below=SUPPRESS_BELOW)
    return _render(
        request,
        "reporting/publish.html",
        {
            "form": form,
            "period": filters.period,
            "existing": existing,
            "preview": preview,
            "periods": periods.recent(_today(), count=8),
        },
    )


# -- public ------------------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/public_index.html",
        {
            "publications": Publication.objects.only("period_key", "label", "published_at"),
            "organisation_name": get_organisation().name,
        },
    )


def public_period(request: HttpRequest, key: str) -> HttpResponse:
    from heard.learning.lessons import published

    publication = get_object_or_404(Publication, period_key=key)
    return render(
        request,
        "reporting/public_period.html",
        {
            "publication": publication,
            "lessons": list(published()[:10]),
            "figures": publication.figures,
            "organisation_name": get_organisation().name,
        },
    )


def public_csv(request: HttpRequest, key: str) -> HttpResponse:
    publication = get_object_or_404(Publication, period_key=key)
    return _csv(f"performance-{key}.csv", selectors.public_csv_rows(publication))
