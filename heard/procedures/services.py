"""Defining procedures: drafts, publication and versions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput
from heard.procedures.models import Procedure, ProcedureVersion, Stage

STAGE_FIELDS = (
    "name",
    "acknowledge_days",
    "acknowledge_counted_from",
    "respond_days",
    "respond_counted_from",
    "max_extension_days",
    "handler_role",
    "quality_check",
)


@transaction.atomic
def define_procedure(
    *,
    slug: str,
    name: str,
    stages: Iterable[Mapping[str, Any]],
    description: str = "",
    independent_review: bool = False,
) -> ProcedureVersion:
    """Create a procedure (or a new version of an existing one) and publish it."""
    procedure, _ = Procedure.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "independent_review": independent_review,
        },
    )
    number = (
        procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProcedureVersion.objects.create(procedure=procedure, number=number)
    for position, stage in enumerate(stages, start=1):
        Stage.objects.create(
            version=version, number=position, **{k: stage[k] for k in STAGE_FIELDS if k in stage}
        )
    return publish(version)


@transaction.atomic
def draft_from(version: ProcedureVersion) -> ProcedureVersion:
    """A new unpublished version with a copy of ``version``'s stages, to edit."""
    number = (
        version.procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    draft = ProcedureVersion.objects.create(
        procedure=version.procedure, number=number, notes=f"From v{version.number}."
    )
    Stage.objects.bulk_create(
        Stage(version=draft, number=s.number, **{k: getattr(s, k) for k in STAGE_FIELDS})
        for s in version.stages.all()
    )
    return draft


@transaction.atomic
def publish(version: ProcedureVersion) -> ProcedureVersion:
    """Freeze a draft; new cases follow it, existing cases keep theirs."""
    if version.is_published:
        raise InvalidInput(f"{version} is already published.")
    numbers = list(version.stages.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise InvalidInput(f"{version} has no stages; add at least one before publishing.")
    if numbers != list(range(1, len(numbers) + 1)):
        raise InvalidInput(f"The stages of {version} must be numbered 1, 2, 3… without gaps.")
    if version.stages.filter(acknowledge_counted_from="acknowledgement").exists():
        raise InvalidInput(
            "An acknowledgement target cannot be counted from the acknowledgement itself."
        )
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version
