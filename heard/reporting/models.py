"""The standards register, what is measured against it, imports, dip explanations and publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StandardChannel(models.TextChoices):
    PHONE = "phone", "Telephone"
    WRITING = "writing", "Letters and email"
    IN_PERSON = "in_person", "In person"
    ALL = "all", "Every channel"


# The case channels each standard channel covers when measured from case data.
CASE_CHANNELS: dict[str, tuple[str, ...] | None] = {
    StandardChannel.PHONE: ("phone",),
    StandardChannel.WRITING: ("letter", "email"),
    StandardChannel.IN_PERSON: ("in_person",),
    StandardChannel.ALL: None,
}


class Source(models.TextChoices):
    CASE_DATA = "case_data", "Case data in Heard"
    TELEPHONY = "telephony", "Telephony call logs (import)"
    MYSTERY_SHOPPING = "mystery_shopping", "Mystery shopping (import)"
    CORRESPONDENCE_SAMPLING = "correspondence_sampling", "Correspondence sampling (import)"
    CALL_RECORDS = "call_records", "Calls and voicemails logged in Heard"


class Measure(models.TextChoices):
    ACKNOWLEDGED_WITHIN = "acknowledged_within", "Acknowledged within N working days of receipt"
    ANSWERED_WITHIN = "answered_within", "Answered within N working days of receipt"
    CALLS_ANSWERED_WITHIN = "calls_answered_within", "Calls answered within N seconds"
    CHECKS_MET = "checks_met", "Checks (visits or calls) that met the standard"
    CALLED_BACK_IN_TIME = (
        "called_back_in_time",
        "Voicemails and promised call backs returned by the time owed",
    )


# Which measures each source can give.
MEASURES_BY_SOURCE: dict[str, tuple[str, ...]] = {
    Source.CASE_DATA: (Measure.ACKNOWLEDGED_WITHIN, Measure.ANSWERED_WITHIN),
    Source.CORRESPONDENCE_SAMPLING: (Measure.ACKNOWLEDGED_WITHIN, Measure.ANSWERED_WITHIN),
    Source.TELEPHONY: (Measure.CALLS_ANSWERED_WITHIN,),
    Source.MYSTERY_SHOPPING: (Measure.CHECKS_MET,),
    Source.CALL_RECORDS: (Measure.CALLED_BACK_IN_TIME,),
}


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"
    CONTINUOUS = "continuous", "Continuously, reported quarterly"


class Standard(models.Model):
    """A customer-service promise with a measurable target (seed 002)."""

    code = models.SlugField(
        max_length=40, unique=True, help_text="Short name used in import files, e.g. letters-ack."
    )
    name = models.CharField(max_length=300)
    channel = models.CharField(max_length=20, choices=StandardChannel.choices)
    measure = models.CharField(max_length=30, choices=Measure.choices)
    threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The N in the measure: working days, or seconds for calls. Empty for checks.",
    )
    target_percent = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Share that must meet the standard, e.g. 95.0."
    )
    monitoring = models.TextField(help_text="How it is monitored, as the published standard says.")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    source = models.CharField(max_length=30, choices=Source.choices)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_percent__gte=0, target_percent__lte=100),
                name="standard_target_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Import(models.Model):
    """One uploaded file, checked and imported in the background as a whole or not at all."""

    class Kind(models.TextChoices):
        TELEPHONY = "telephony", "Telephony call log"
        MYSTERY_SHOPPING = "mystery_shopping", "Mystery-shopping results"
        CORRESPONDENCE_SAMPLING = "correspondence_sampling", "Correspondence sample"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Not imported: some rows need correcting"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    content = models.TextField(help_text="The file as uploaded (UTF-8 text).")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, message}]")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.IMPORTED, self.Status.REJECTED)

    @property
    def percent_checked(self) -> int:
        return int(100 * self.checked_rows / self.total_rows) if self.total_rows else 0


class TelephonyRecord(models.Model):
    """Calls on one line in one period, from the telephony system's log."""

    line = models.CharField(max_length=100)
    period_key = models.CharField(max_length=10)
    start = models.DateField()
    end = models.DateField()
    offered = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    answered_within_threshold = models.PositiveIntegerField()
    abandoned = models.PositiveIntegerField()
    source_import = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["start", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "period_key"], name="telephony_line_period_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.period_key}"


class CheckKind(models.TextChoices):
    VISIT = "visit", "Visit"
    CALL = "call", "Call"


class MysteryShopResult(models.Model):
    """One mystery-shopping visit or call, judged against one standard."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField(max_length=10, choices=CheckKind.choices)
    on = models.DateField()
    met = models.BooleanField()
    notes = models.TextField(blank=True)
    source_import = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["standard", "on"], name="mystery_standard_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}: {'met' if self.met else 'not met'}"


class CorrespondenceSample(models.Model):
    """One letter or email from a manager's sample: when it came, was acknowledged and answered."""

    reference = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=10, choices=[("letter", "Letter"), ("email", "Email")])
    received = models.DateField()
    acknowledged = models.DateField(null=True, blank=True)
    answered = models.DateField(null=True, blank=True)
    source_import = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["received", "id"]
        indexes = [models.Index(fields=["received"], name="correspondence_sample_received")]

    def __str__(self) -> str:
        return f"{self.reference or self.channel} received {self.received}"


class DipExplanation(models.Model):
    """Why a standard was missed in a period and what is being done (CSE 4.3.1)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="explanations")
    period_key = models.CharField(max_length=10)
    explanation = models.TextField()
    action = models.TextField(help_text="What we are doing to put it right and prevent it again.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["standard", "period_key"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "period_key"], name="dip_explained_once")
        ]

    def __str__(self) -> str:
        return f"{self.standard} {self.period_key}"


class Publication(models.Model):
    """The figures of a period as published: frozen when a performance officer publishes them."""

    period_key = models.CharField(max_length=10, unique=True)
    label = models.CharField(max_length=100)
    figures = models.JSONField(help_text="What the public page shows, small numbers suppressed.")
    improvements = models.TextField(
        blank=True, help_text="“You said, we did”: what changed because of what customers told us."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_key"]

    def __str__(self) -> str:
        return f"Published figures for {self.label}"


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "Annual complaints performance and service improvement report"
    PANEL = "panel", "Customer panel pack"
    QUARTERLY = "quarterly", "Quarterly standards report"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment against the complaint handling code"
    EQUALITY = "equality", "Equality monitoring report"


class ReportFile(models.Model):
    """A report made as PDF in the background for a period, kept to be downloaded."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period_key = models.CharField(max_length=10)
    period_label = models.CharField(max_length=100)
    service_ids = models.JSONField(
        null=True, blank=True, help_text="The services it covers; empty for every service."
    )
    options = models.JSONField(default=dict, blank=True, help_text="e.g. the code assessed.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    content = models.BinaryField(blank=True, default=b"", editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period_label}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"{self.kind.replace('_', '-')}-{self.period_key}.pdf"


class SelfAssessmentComment(models.Model):
    """The organisation's commentary on one section of its self-assessment against a code."""

    code = models.CharField(max_length=20)
    period_key = models.CharField(max_length=10)
    section = models.CharField(max_length=40)
    commentary = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "period_key", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "period_key", "section"], name="self_assessment_comment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period_key} {self.section}"
