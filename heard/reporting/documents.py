"""The reports that are pages, CSV files and PDFs: what each holds and how each is made.

A report's page and its PDF include the same body template (``reporting/_<kind>_body.html``);
the PDF wraps it in a print layout (``reporting/pdf.html``, on the layout every PDF shares,
``core/pdf_base.html``) that xhtml2pdf, a pure-Python library, turns into PDF. PDFs are made
in the background (:mod:`heard.reporting.tasks`) and kept as :class:`ReportFile` rows until
downloaded.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from heard.org.calendars import get_organisation, organisation_calendar
from heard.reporting import selectors, selfassessment
from heard.reporting.figures import Scope
from heard.reporting.models import ReportFile, ReportKind
from heard.reporting.periods import Period, parse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    default_period: str  # the kind of period shown when none is asked for
    build: Callable[[Scope, dict[str, Any]], dict[str, Any]]
    csv: Callable[[dict[str, Any], Period], list[list[Any]]]

    @property
    def body(self) -> str:
        return f"reporting/_{self.kind}_body.html"


def _annual(scope: Scope, options: dict[str, Any]) -> dict[str, Any]:
    return {"report": selectors.annual_report(scope)}


def _panel(scope: Scope, options: dict[str, Any]) -> dict[str, Any]:
    return {"pack": selectors.panel_pack(scope)}


def _quarterly(scope: Scope, options: dict[str, Any]) -> dict[str, Any]:
    return {"report": selectors.quarterly_standards(scope)}


def _self_assessment(scope: Scope, options: dict[str, Any]) -> dict[str, Any]:
    code = selfassessment.CODES.get(options.get("code") or "") or selfassessment.code_in_use()
    report = selectors.annual_report(scope)
    return {
        "report": report,
        "assessment": selfassessment.assess(code, report, scope.period.key),
        "code": code,
    }


def _equality(scope: Scope, options: dict[str, Any]) -> dict[str, Any]:
    return {"report": selectors.equality_report(scope.period)}


def panel_csv_rows(context: dict[str, Any], period: Period) -> list[list[Any]]:
    pack = context["pack"]
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
    return rows


DOCUMENTS: dict[str, Document] = {
    d.kind: d
    for d in (
        Document(
            ReportKind.ANNUAL,
            ReportKind.ANNUAL.label,
            "financial_year",
            _annual,
            lambda c, p: selectors.csv_rows(c["report"], p),
        ),
        Document(ReportKind.PANEL, ReportKind.PANEL.label, "month", _panel, panel_csv_rows),
        Document(
            ReportKind.QUARTERLY,
            ReportKind.QUARTERLY.label,
            "quarter",
            _quarterly,
            lambda c, p: selectors.quarterly_csv_rows(c["report"], p),
        ),
        Document(
            ReportKind.SELF_ASSESSMENT,
            ReportKind.SELF_ASSESSMENT.label,
            "financial_year",
            _self_assessment,
            lambda c, p: selfassessment.csv_rows(c["assessment"], p.key),
        ),
        Document(
            ReportKind.EQUALITY,
            ReportKind.EQUALITY.label,
            "financial_year",
            _equality,
            lambda c, p: selectors.equality_csv_rows(c["report"], p),
        ),
    )
}


def render_pdf(document: Document, context: dict[str, Any]) -> bytes:
    """The report as PDF, from the same body template as its page."""
    html = render_to_string(
        "reporting/pdf.html",
        {**context, "document": document, "pdf": True, "organisation": get_organisation()},
    )
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """A PDF of a whole HTML page (xhtml2pdf); shared by every document Heard makes."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    # Nothing outside the document is fetched: every link resolves to nothing.
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=lambda uri, rel: "")
    if result.err:
        raise RuntimeError(f"The PDF could not be made ({result.err} errors).")
    return out.getvalue()


def scope_of(report_file: ReportFile) -> Scope:
    calendar = organisation_calendar()
    ids = report_file.service_ids
    return Scope(
        period=parse(report_file.period_key),
        calendar=calendar,
        today=calendar.local_date(timezone.now()),
        service_ids=None if ids is None else frozenset(ids),
    )


def make_pdf(report_file_id: int) -> str:
    """Make the PDF of a requested report and keep it (safe to run more than once)."""
    with transaction.atomic():
        report_file = ReportFile.objects.select_for_update().defer("content").get(pk=report_file_id)
        if report_file.finished:
            return report_file.status
        report_file.status = ReportFile.Status.RENDERING
        report_file.save(update_fields=["status"])
    document = DOCUMENTS[report_file.kind]
    scope = scope_of(report_file)
    try:
        context = document.build(scope, report_file.options or {})
        content = render_pdf(document, {**context, "period": scope.period})
    except Exception as error:
        log.exception("Report file %s could not be made", report_file_id)
        ReportFile.objects.filter(pk=report_file_id).update(
            status=ReportFile.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        return ReportFile.Status.FAILED
    ReportFile.objects.filter(pk=report_file_id).update(
        status=ReportFile.Status.READY,
        content=content,
        size=len(content),
        finished_at=timezone.now(),
    )
    return ReportFile.Status.READY
