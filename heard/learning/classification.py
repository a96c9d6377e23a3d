"""Recording what a case was about (themes) and why it went wrong (root cause)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.cases.models import Case, CaseEvent
from heard.core.errors import InvalidInput, NotFound
from heard.learning import access
from heard.learning.models import Classification, RootCause, Theme
from heard.org.access import visible_cases


@transaction.atomic(durable=True)
def record_classification(
    case: Case,
    *,
    by: Any,
    themes: Iterable[Theme | str],
    root_cause: RootCause | str | None = None,
    suggested: Sequence[dict[str, Any]] = (),
    at: datetime | None = None,
) -> Classification:
    """Record the themes and root cause of the case's current stage; recording again corrects it.

    ``suggested`` is what Heard suggested (``[{"theme": slug, "confidence": 0.8}, …]``), kept so
    that a correction of the suggestion weighs more when the model is next trained.
    """
    access.require_classify(by)
    if not visible_cases(by).filter(pk=case.pk).exists():
        raise NotFound(f"There is no case {case.reference} that you can see.")
    chosen = _themes(themes)
    cause = _root_cause(root_cause)
    at = at or timezone.now()
    chosen_slugs = [t.slug for t in chosen]
    top = suggested[0]["theme"] if suggested else ""
    classification, created = Classification.objects.select_for_update().get_or_create(
        case=case,
        stage_number=case.stage_number,
        defaults={"at": at, "by": by, "root_cause": cause},
    )
    before = {} if created else _snapshot(classification)
    classification.at = at
    classification.by = by if getattr(by, "pk", None) else None
    classification.root_cause = cause
    classification.suggested = [
        {"theme": str(s["theme"]), "confidence": round(float(s["confidence"]), 3)}
        for s in suggested
    ]
    classification.corrected = bool(top) and top not in chosen_slugs
    classification.save()
    classification.themes.set(chosen)
    after = _snapshot(classification)
    names = ", ".join(t.name for t in chosen)
    cause_text = f"; root cause: {cause.name}" if cause else ""
    CaseEvent.objects.create(
        case=case,
        action="classified" if created else "reclassified",
        at=at,
        actor=by if getattr(by, "pk", None) else None,
        summary=f"Themes recorded at stage {case.stage_number}: {names}{cause_text}."[:500],
        before=before,
        after=after,
    )
    return classification


def classification_of(case: Case) -> Classification | None:
    """The latest themes recorded on the case (any stage)."""
    return (
        Classification.objects.filter(case=case)
        .select_related("root_cause", "by")
        .prefetch_related("themes")
        .order_by("-stage_number")
        .first()
    )


def active_themes() -> list[Theme]:
    return list(Theme.objects.filter(active=True))


def _themes(themes: Iterable[Theme | str]) -> list[Theme]:
    wanted = [t.slug if isinstance(t, Theme) else str(t) for t in themes]
    if not wanted:
        raise InvalidInput(
            "Choose at least one theme that says what the contact was about.", field="themes"
        )
    found = {t.slug: t for t in Theme.objects.filter(slug__in=wanted)}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise InvalidInput(
            f"There is no theme {unknown[0]!r}. Choose one of the themes listed.", field="themes"
        )
    retired = [t.name for t in found.values() if not t.active]
    if retired:
        raise InvalidInput(
            f"The theme {retired[0]} is no longer used. Choose a current one.", field="themes"
        )
    return [found[slug] for slug in dict.fromkeys(wanted)]


def _root_cause(root_cause: RootCause | str | None) -> RootCause | None:
    if root_cause in (None, ""):
        return None
    slug = root_cause.slug if isinstance(root_cause, RootCause) else str(root_cause)
    cause = RootCause.objects.filter(slug=slug).first()
    if cause is None:
        raise InvalidInput(
            f"There is no root cause {slug!r}. Choose one of those listed.", field="root_cause"
        )
    if not cause.active:
        raise InvalidInput(
            f"The root cause {cause.name} is no longer used. Choose a current one.",
            field="root_cause",
        )
    return cause


def _snapshot(classification: Classification) -> dict[str, Any]:
    return {
        "themes": sorted(classification.themes.values_list("slug", flat=True)),
        "root_cause": classification.root_cause.slug if classification.root_cause else "",
    }
