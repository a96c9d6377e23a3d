"""Writes of the reporting area: uploading an import, explaining a dip, publishing a period,
asking for a report as PDF, commenting on the self-assessment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput
from heard.equality.services import SUPPRESS_BELOW
from heard.reporting import access, imports
from heard.reporting.figures import Scope
from heard.reporting.models import (
    DipExplanation,
    Import,
    Publication,
    ReportFile,
    ReportKind,
    SelfAssessmentComment,
    Standard,
)
from heard.reporting.periods import Period
from heard.reporting.selectors import public_figures

TEXT_MAX = 5000


@transaction.atomic(durable=True)
def upload_import(*, by: Any, kind: str, filename: str, raw: bytes) -> Import:
    """Keep the uploaded file and queue it to be checked and imported in the background."""
    access.require_manage_standards(by)
    if kind not in Import.Kind.values:
        raise InvalidInput("Choose what kind of file this is.", field="kind")
    content = imports.decode(raw)
    upload = Import.objects.create(
        kind=kind,
        filename=(filename or "upload.csv")[:255],
        content=content,
        total_rows=max(len([line for line in content.splitlines()[1:] if line.strip()]), 0),
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _enqueue(import_id: int) -> None:
    from heard.reporting.tasks import run_import

    run_import.enqueue(import_id)


@transaction.atomic(durable=True)
def explain_dip(
    *, by: Any, standard: Standard, period: Period, explanation: str, action: str
) -> DipExplanation:
    """Record why a standard was missed in a period and what is being done (CSE 4.3.1)."""
    access.require_manage_standards(by)
    explanation = _text(explanation, "explanation", "Explain why the standard was missed.")
    action = _text(action, "action", "Say what is being done to put it right.")
    result, _ = DipExplanation.objects.update_or_create(
        standard=standard,
        period_key=period.key,
        defaults={"explanation": explanation, "action": action, "written_by": by},
    )
    return result


@transaction.atomic(durable=True)
def publish(*, by: Any, period: Period, improvements: str = "") -> Publication:
    """Freeze the period's figures, small numbers suppressed, and show them on the public page.

    Publishing the same period again replaces what was published.
    """
    access.require_publish(by)
    improvements = (improvements or "").strip()
    if len(improvements) > TEXT_MAX:
        raise InvalidInput(
            f"Keep “you said, we did” under {TEXT_MAX} characters.", field="improvements"
        )
    publication, _ = Publication.objects.update_or_create(
        period_key=period.key,
        defaults={
            "label": period.label,
            "figures": public_figures(period, suppress_below=SUPPRESS_BELOW),
            "improvements": improvements,
            "published_by": by,
            "published_at": timezone.now(),
        },
    )
    return publication


@transaction.atomic(durable=True)
def withdraw_publication(*, by: Any, period_key: str) -> int:
    access.require_publish(by)
    deleted, _ = Publication.objects.filter(period_key=period_key).delete()
    return deleted


@transaction.atomic(durable=True)
def request_pdf(
    *, by: Any, kind: str, scope: Scope, options: dict[str, str] | None = None
) -> ReportFile:
    """Queue a report to be made as PDF in the background, for the scope's period and services."""
    if kind == ReportKind.EQUALITY:
        access.require_see_equality(by)
    elif kind in ReportKind.values:
        access.report_services(by)  # refuses those who may not see reports
    else:
        raise InvalidInput("Choose which report to make.", field="kind")
    report_file = ReportFile.objects.create(
        kind=kind,
        period_key=scope.period.key,
        period_label=scope.period.label,
        service_ids=None if scope.service_ids is None else sorted(scope.service_ids),
        options=options or {},
        requested_by=by if getattr(by, "pk", None) else None,
    )
    transaction.on_commit(lambda: _enqueue_pdf(report_file.pk))
    return report_file


def _enqueue_pdf(report_file_id: int) -> None:
    from heard.reporting.tasks import make_report_pdf

    make_report_pdf.enqueue(report_file_id)


@transaction.atomic(durable=True)
def comment_on_self_assessment(
    *, by: Any, code: str, period: Period, section: str, commentary: str
) -> SelfAssessmentComment | None:
    """Keep the organisation's commentary on one section (empty commentary removes it)."""
    access.require_manage_standards(by)
    text = (commentary or "").strip()
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"Keep this under {TEXT_MAX} characters.", field=section)
    if not text:
        SelfAssessmentComment.objects.filter(
            code=code, period_key=period.key, section=section
        ).delete()
        return None
    result, _ = SelfAssessmentComment.objects.update_or_create(
        code=code,
        period_key=period.key,
        section=section,
        defaults={"commentary": text, "written_by": by},
    )
    return result


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"Keep this under {TEXT_MAX} characters.", field=field)
    return text
