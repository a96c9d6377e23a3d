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
from heard.reporting import access, periods, selectors, services, standards
from heard.reporting.forms import ExplainForm, FilterForm, ImportForm, PublishForm
from heard.reporting.models import Import, Publication, Standard

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


@reports_view
def annual(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="financial_year")
    scope = selectors.scope_for(request.user, filters)
    report = selectors.annual_report(scope)
    if request.GET.get("format") == "csv":
        return _csv(
            f"annual-complaints-report-{filters.period.key}.csv",
            selectors.csv_rows(report, filters.period),
        )
    return _render(
        request,
        "reporting/annual.html",
        {
            "form": form,
            "period": filters.period,
            "report": report,
            "organisation": get_organisation(),
            "query": request.GET.urlencode(),
        },
    )


@reports_view
def panel(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, default_kind="month")
    scope = selectors.scope_for(request.user, filters)
    pack = selectors.panel_pack(scope)
    if request.GET.get("format") == "csv":
        rows: list[list[Any]] = [
            [
                "month",
                "complaints received",
                "answered",
                "% answered within target",
                "% upheld",
                "compensation (£)",
            ]
        ]
        rows += [
            [
                t["period"].key,
                t["complaints"],
                t["answered"],
                t["percent_in_time"],
                t["percent_upheld"],
                t["compensation"],
            ]
            for t in pack["trend"]
        ]
        rows += [["service", "month", "awards", "compensation (£)"]]
        rows += [
            [c["service"], c["month"].strftime("%Y-%m"), c["count"], c["total"]]
            for c in pack["compensation"]
        ]
        return _csv(f"panel-pack-{filters.period.key}.csv", rows)
    return _render(
        request,
        "reporting/panel.html",
        {
            "form": form,
            "period": filters.period,
            "pack": pack,
            "organisation": get_organisation(),
            "query": request.GET.urlencode(),
        },
    )


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
    publication = get_object_or_404(Publication, period_key=key)
    return render(
        request,
        "reporting/public_period.html",
        {
            "publication": publication,
            "figures": publication.figures,
            "organisation_name": get_organisation().name,
        },
    )


def public_csv(request: HttpRequest, key: str) -> HttpResponse:
    publication = get_object_or_404(Publication, period_key=key)
    return _csv(f"performance-{key}.csv", selectors.public_csv_rows(publication))
