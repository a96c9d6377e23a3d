"""Personal data: who read it, what a person asked for, what was erased, and how long it is kept.

None of these records holds a customer's name, contact details or words: they name the
customer by number and cases by reference, so they can be kept after an erasure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.cases.models import Case, Customer, Kind


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The record of reads of personal data is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The record of reads of personal data is append-only.")


class PersonalDataRead(models.Model):
    """One read of personal data by a member of staff: who, when, what and from where.

    Append-only, like the case action log. The case and customer links become empty if the
    row they name is ever deleted; the reference and customer number stay.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is removed.")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_reference = models.CharField(max_length=24, blank=True, db_index=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer_number = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    what = models.CharField(max_length=200, help_text="The fields or section read.")
    route = models.CharField(max_length=200, help_text="The screen or API route.")
    method = models.CharField(max_length=8, default="GET")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "at"], name="read_username_at")]
        permissions = [
            ("see_read_audit", "Can see who read personal data (information governance)"),
        ]

    def __str__(self) -> str:
        about = self.case_reference or f"customer {self.customer_number}"
        return f"{self.username} read {about} ({self.what}) at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The record of reads of personal data is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The record of reads of personal data is append-only.")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class SubjectAccessExport(models.Model):
    """A subject access export for one person, prepared in the background as a zip file."""

    customer = models.ForeignKey(Customer, null=True, on_delete=models.SET_NULL, related_name="+")
    customer_number = models.PositiveBigIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access export for customer {self.customer_number} ({self.status})"


class ErasureSource(models.TextChoices):
    REQUEST = "request", "Erasure requested"
    RETENTION = "retention", "Retention schedule"


class Erasure(models.Model):
    """The record that personal data was erased: who, when, why and what was counted.

    It holds no personal data: the customer by number, the cases by reference.
    """

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_username = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=10, choices=ErasureSource.choices)
    reason = models.TextField()
    customer_numbers = models.JSONField(default=list, blank=True)
    case_references = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} at {self.at:%Y-%m-%d %H:%M}"


class AnonymisedCase(models.Model):
    """A case whose personal data has been removed: counted in reports, about nobody."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="anonymised")
    erasure = models.ForeignKey(Erasure, on_delete=models.PROTECT, related_name="cases")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id} anonymised at {self.at:%Y-%m-%d}"


class RetentionMode(models.TextChoices):
    DRY_RUN = "dry_run", "Dry run: report what would be anonymised, change nothing"
    APPLY = "apply", "Apply: anonymise what the latest dry run reported"


class RetentionSchedule(models.Model):
    """How long the personal data in one kind of contact is kept after the case closed."""

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    years_after_closure = models.PositiveSmallIntegerField(
        default=6, help_text="Anonymise this many years after the case was closed."
    )
    mode = models.CharField(
        max_length=10,
        choices=RetentionMode.choices,
        default=RetentionMode.DRY_RUN,
        help_text=(
            "Start with a dry run. The scheduled job applies a schedule only once a dry run "
            "has been recorded since the schedule was last changed."
        ),
    )
    active = models.BooleanField(default=True)
    notes = models.TextField(blank=True, help_text="Why this period: the policy it follows.")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years_after_closure} years after closure"


class RetentionRun(models.Model):
    """One run of the retention schedules: a dry-run report, or a record of what was removed."""

    at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {kind: {"years": 6, "mode": "dry_run", "cases": ["CMP-2019-00001", ...]}}
    report = models.JSONField(default=dict, blank=True)
    erasure = models.ForeignKey(
        Erasure, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        what = "Dry run" if self.dry_run else "Applied"
        return f"{what} at {self.at:%Y-%m-%d %H:%M}: {self.total} cases"

    @property
    def reported_total(self) -> int:
        """Cases reported as past their period and left for a later run."""
        return sum(len(entry.get("reported", [])) for entry in (self.report or {}).values())
