"""Complaint procedures: versioned sequences of stages with working-day targets."""

from __future__ import annotations

from django.db import models

from heard.org.models import Role


class Procedure(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_preset = models.BooleanField(default=False, editable=False)
    # Ombudsman codes: the stage-2 handler must not be the officer who answered stage 1.
    independent_review = models.BooleanField(
        default=False,
        help_text="A later stage may not be allocated to an officer who answered an earlier one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> ProcedureVersion:
        version = self.versions.filter(published_at__isnull=False).order_by("-number").first()
        if version is None:
            raise ProcedureVersion.DoesNotExist(f"{self.name} has no published version.")
        return version


class ProcedureVersion(models.Model):
    """A published version is frozen: cases point at it and keep it when the procedure changes."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="What changed in this version.")

    class Meta:
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.name} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CountedFrom(models.TextChoices):
    RECEIPT = "receipt", "Receipt of the contact"
    ESCALATION_REQUEST = "escalation_request", "Receipt of the escalation request"
    ACKNOWLEDGEMENT = "acknowledgement", "The acknowledgement"


class Stage(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    acknowledge_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days to acknowledge; empty if none is required."
    )
    acknowledge_counted_from = models.CharField(
        max_length=20, choices=CountedFrom.choices, default=CountedFrom.RECEIPT
    )
    respond_days = models.PositiveSmallIntegerField(help_text="Working days to respond.")
    respond_counted_from = models.CharField(
        max_length=20, choices=CountedFrom.choices, default=CountedFrom.RECEIPT
    )
    max_extension_days = models.PositiveSmallIntegerField(
        default=0, help_text="Most working days the response may be extended by, in all."
    )
    handler_role = models.CharField(max_length=32, choices=Role.choices)
    quality_check = models.BooleanField(
        default=False,
        help_text="Letters at this stage are checked by a second person before they are sent.",
    )

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="stage_number_once"),
            models.CheckConstraint(
                condition=~models.Q(acknowledge_counted_from="acknowledgement"),
                name="acknowledgement_not_counted_from_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"
