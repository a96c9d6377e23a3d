"""The evidence portfolio of an assessment and the progress report of a plan, as PDF.

The portfolio is one PDF — an index by element, then each element's rating, commentary and
evidence, with each live figure's current value beside its value when attached — and a zip of
the documents kept as evidence. It is made in the background (:mod:`heard.improvement.tasks`)
and kept as a :class:`PortfolioExport` until downloaded. The PDFs are made by xhtml2pdf from
templates, like the reports of heard.reporting.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from heard.improvement import access, evidence, services
from heard.improvement.models import (
    ActionPlan,
    Assessment,
    ElementAssessment,
    EvidenceKind,
    PortfolioExport,
)
from heard.org.calendars import get_organisation

log = logging.getLogger(__name__)


def export_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Every element with its evidence; each live figure worked out once, now."""
    items = (
        ElementAssessment.objects.filter(assessment=assessment)
        .select_related("element__sub_criterion__criterion", "owner")
        .annotate(evidence_count=Count("evidence"))
        .order_by("element__sort_key")
        .prefetch_related("evidence")
    )
    cache: dict[tuple[str, str], evidence.LiveFigure] = {}
    rows = []
    for item in items:
        pieces = []
        for piece in item.evidence.all():
            live = None
            if piece.kind == EvidenceKind.LIVE:
                key = (piece.measure, piece.period)
                live = cache.get(key) or evidence.compute(piece.measure, period=piece.period)
                cache[key] = live
            pieces.append({"evidence": piece, "live": live, "stale": services.is_stale(piece)})
        rows.append({"item": item, "evidence": pieces})
    return rows


def render_pdf(*, title: str, subtitle: str, body: str, context: dict[str, Any]) -> bytes:
    """A PDF of ``body`` (a template) in the print layout; nothing outside it is fetched."""
    from heard.reporting.documents import html_to_pdf

    html = render_to_string(
        "improvement/pdf.html",
        {
            **context,
            "title": title,
            "subtitle": subtitle,
            "body": body,
            "organisation": get_organisation(),
            "made_at": timezone.now(),
        },
    )
    return html_to_pdf(html)


def portfolio_pdf(assessment: Assessment) -> bytes:
    return render_pdf(
        title=f"Evidence portfolio: {assessment.title}",
        subtitle=f"{assessment.get_cycle_display()}, {assessment.assessment_on:%d %B %Y}",
        body="improvement/_portfolio_body.html",
        context={
            "assessment": assessment,
            "readiness": services.readiness(assessment),
            "rows": export_rows(assessment),
        },
    )


def plan_report_pdf(plan: ActionPlan, *, today: Any) -> bytes:
    """Seed 000's progress report: a row per action, evidence and category per review date."""
    reviews, rows = services.progress_report(plan, today=today)
    return render_pdf(
        title=f"Progress report: {plan.title}",
        subtitle=plan.owner_body,
        body="improvement/_plan_report_body.html",
        context={"plan": plan, "reviews": reviews, "rows": rows, "landscape": True},
    )


def documents_zip(assessment: Assessment) -> tuple[bytes, int]:
    """The documents kept as evidence, in a folder per element."""
    out = io.BytesIO()
    count = 0
    pieces = (
        ElementAssessment.objects.filter(assessment=assessment)
        .select_related("element")
        .prefetch_related("evidence")
        .order_by("element__sort_key")
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in pieces:
            for piece in item.evidence.all():
                if piece.kind != EvidenceKind.DOCUMENT or not piece.file:
                    continue
                name = _safe(piece.original_name or piece.file.name.rsplit("/", 1)[-1])
                with piece.file.open("rb") as handle:
                    archive.writestr(f"{item.element.number}/{piece.pk}-{name}", handle.read())
                count += 1
        archive.writestr(
            "README.txt",
            f"Documents kept as evidence for {assessment.title}, one folder per element "
            f"({count} document{'s' if count != 1 else ''}). The ratings, commentaries and live "
            "figures are in the portfolio PDF.\n",
        )
    return out.getvalue(), count


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .")[:120] or "document"


@transaction.atomic(durable=True)
def request_portfolio(assessment: Assessment, *, by: Any, today: Any) -> PortfolioExport:
    """Queue the making of the portfolio; anyone who may see the assessment may ask for it."""
    access.require_view_assessment(by, assessment.pk, today=today)
    export = PortfolioExport.objects.create(assessment=assessment, requested_by=by)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from heard.improvement.tasks import make_portfolio

    make_portfolio.enqueue(export_id)


def build(export_id: int) -> str:
    """Make the portfolio's PDF and zip and keep them (safe to run more than once)."""
    with transaction.atomic():
        export = PortfolioExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None:
            return "missing"
        if export.finished:
            return export.status
        export.status = PortfolioExport.Status.RENDERING
        export.save(update_fields=["status"])
    assessment = export.assessment
    try:
        pdf = portfolio_pdf(assessment)
        archive, count = documents_zip(assessment)
    except Exception as error:
        log.exception("Portfolio %s could not be made", export_id)
        PortfolioExport.objects.filter(pk=export_id).update(
            status=PortfolioExport.Status.FAILED,
            error=str(error)[:1000],
            finished_at=timezone.now(),
        )
        return PortfolioExport.Status.FAILED
    stem = f"portfolio-{assessment.pk}-{export_id}"
    export.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    export.documents.save(f"{stem}-documents.zip", ContentFile(archive), save=False)
    PortfolioExport.objects.filter(pk=export_id).update(
        status=PortfolioExport.Status.READY,
        pdf=export.pdf.name,
        documents=export.documents.name,
        document_count=count,
        finished_at=timezone.now(),
    )
    return PortfolioExport.Status.READY
