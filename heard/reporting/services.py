"""Writes of the reporting area: uploading an import, explaining a dip, publishing a period."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput
from heard.equality.services import SUPPRESS_BELOW
from heard.reporting import access, imports
from heard.reporting.models import DipExplanation, Import, Publication, Standard
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


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"Keep this under {TEXT_MAX} characters.", field=field)
    return text
