"""Improvement and assurance: the Customer Service Excellence framework and self-assessments
(seed 004), scrutiny action plans and their progress reviews (seeds 001 and 000), and the staff
suggestion scheme, "Bright Ideas" (seed 000, recommendation 7)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models

# -- the CSE framework (shipped as data: heard/improvement/data/cse_standard.json) --------------


class Criterion(models.Model):
    number = models.CharField(max_length=4, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return f"Criterion {self.number}: {self.title}"


class SubCriterion(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="sub_criteria")
    number = models.CharField(max_length=8, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "sub-criteria"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Priority(models.TextChoices):
    """Seed 004's highlights: gold where several highlighted an element, silver where one did."""

    NONE = "", "Not a priority"
    GOLD = "gold", "Gold priority"
    SILVER = "silver", "Silver priority"


class Element(models.Model):
    """One of the standard's 57 elements. The wording is shipped; priority and guidance are the
    organisation's own."""

    sub_criterion = models.ForeignKey(
        SubCriterion, on_delete=models.CASCADE, related_name="elements"
    )
    number = models.CharField(max_length=8, unique=True)
    wording = models.TextField()
    wording_source = models.TextField(
        blank=True, help_text="Where the wording came from, when not from seed 004."
    )
    suggested_priority = models.BooleanField(
        default=False, help_text="Highlighted by seed 004's cohort as important and achievable."
    )
    sort_key = models.PositiveIntegerField(default=0)
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True, default="")
    guidance = models.TextField(blank=True, help_text="The organisation's own guidance notes.")

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.number} {self.wording[:60]}"


# -- self-assessment ---------------------------------------------------------------------------


class Cycle(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    ANNUAL_REVIEW = "annual_review", "Annual review"
    REASSESSMENT = "reassessment", "Reassessment"


class Assessment(models.Model):
    """One self-assessment against the standard: an initial assessment, annual review or
    reassessment."""

    title = models.CharField(max_length=200)
    cycle = models.CharField(max_length=20, choices=Cycle.choices)
    assessment_on = models.DateField(help_text="The date of the assessor's visit.")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessment_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Rating(models.TextChoices):
    COMPLIANCE_PLUS = "compliance_plus", "Compliance Plus"
    COMPLIANCE = "compliance", "Compliance"
    PARTIAL = "partial", "Partial Compliance"
    NON_COMPLIANCE = "non_compliance", "Non-compliance"


class ElementAssessment(models.Model):
    """The organisation's own judgement of one element in one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="elements")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    commentary = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["element__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "element"], name="element_assessed_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}, element {self.element.number}"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    LINK = "link", "Link"
    LIVE = "live", "Live figure from Heard"


def _evidence_storage() -> Storage:
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.HEARD_ATTACHMENTS_DIR / "improvement", base_url=None)


class Evidence(models.Model):
    """A document, a link, or a live figure computed from Heard's own data whenever it is shown."""

    element_assessment = models.ForeignKey(
        ElementAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(storage=_evidence_storage, upload_to="%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    measure = models.CharField(max_length=40, blank=True, help_text="For live figures.")
    period = models.CharField(
        max_length=20,
        blank=True,
        default="12_months",
        help_text="For live figures: the period it is worked out for, saved with it.",
    )
    value_when_attached = models.CharField(max_length=200, blank=True)
    period_when_attached = models.CharField(max_length=200, blank=True)
    attached_at = models.DateTimeField()
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["attached_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


# -- action plans (seeds 001 and 000) ------------------------------------------------------------


class ActionPlan(models.Model):
    title = models.CharField(max_length=200)
    owner_body = models.CharField(
        max_length=200, blank=True, help_text="For example, the Complaints Scrutiny Panel."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    """One action or recommendation of a plan, in seed 001's columns."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    category = models.CharField(max_length=40, blank=True, help_text="Seed 001's SPIRIT column.")
    lead_officers = models.CharField(max_length=300)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The lead officer's Heard account: reminders go to them, and they may record "
        "progress on the action.",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="Anticipated completion date.")
    outcomes_for_customers = models.TextField(blank=True)
    success_factors = models.TextField(blank=True)
    risk_reference = models.CharField(max_length=100, blank=True)
    reports_to = models.CharField(max_length=300, blank=True)
    elements = models.ManyToManyField(Element, blank=True, related_name="actions")
    themes = models.ManyToManyField(
        "learning.Theme",
        blank=True,
        related_name="plan_actions",
        help_text="The complaint themes the action answers.",
    )
    lessons = models.ManyToManyField(
        "learning.Lesson",
        blank=True,
        related_name="plan_actions",
        help_text="Lessons learned from complaints that the action puts into practice.",
    )
    from_suggestion = models.OneToOneField(
        "Suggestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="action"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class CompletionDateRevision(models.Model):
    """A change to an action's anticipated completion date, kept (seed 000's "anticipated new
    completion date")."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="revisions")
    previous = models.DateField(null=True)
    new = models.DateField(null=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} moved from {self.previous} to {self.new}"


class ProgressReview(models.Model):
    """A dated review point of a plan (seed 000 has two: 17/05/10 and 04/10/10)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()

    class Meta:
        ordering = ["reviewed_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reviewed_on"], name="review_date_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} review {self.reviewed_on:%d/%m/%Y}"


class Progress(models.IntegerChoices):
    """Seed 000's assessment of progress, categories 1 to 4."""

    ACHIEVED_FULLY = 1, "1 - Achieved fully"
    ON_TRACK = 2, "2 - On track"
    SLIPPED = 3, "3 - Slipped"
    NOT_ACHIEVED = 4, "4 - Not achieved"


class ProgressEntry(models.Model):
    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    evidence = models.TextField()
    category = models.PositiveSmallIntegerField(choices=Progress.choices)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "progress entries"
        constraints = [
            models.UniqueConstraint(fields=["review", "action"], name="progress_once_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.action} at {self.review}: {self.category}"


# -- staff suggestion scheme ("Bright Ideas") ------------------------------------------------


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    ADOPTED = "adopted", "Adopted"
    NOT_ADOPTED = "not_adopted", "Not adopted"
    IMPLEMENTED = "implemented", "Implemented"


class Suggestion(models.Model):
    title = models.CharField(max_length=200)
    idea = models.TextField()
    benefit = models.TextField(blank=True, help_text="Who it would help, and how.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(
        default=False, help_text="The panel does not see who made the suggestion."
    )
    submitted_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.SUBMITTED
    )
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    award = models.CharField(max_length=200, blank=True)
    award_round = models.CharField(max_length=40, blank=True, help_text="For example, 2026 Q1.")

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title


# -- external assessors -------------------------------------------------------------------------


class AssessorAccess(models.Model):
    """An external assessor's read-only access to one assessment, until the end of a day.

    One row per assessor account: an account holding no Heard role and one of these sees that
    assessment while the access is live, and nothing else in Heard at all.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_access"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="assessor_access"
    )
    expires_on = models.DateField(help_text="The last day of access (the organisation's date).")
    granted_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name_plural = "assessor access"

    def __str__(self) -> str:
        return f"{self.user} to {self.assessment} until {self.expires_on:%d/%m/%Y}"


class AssessorView(models.Model):
    """One request an external assessor made, let in or refused. Append-only."""

    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    assessment = models.ForeignKey(
        Assessment, null=True, on_delete=models.SET_NULL, related_name="assessor_views"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    route = models.CharField(max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["assessment", "at"], name="assessor_view_when")]

    def __str__(self) -> str:
        return f"{self.username} {self.method} {self.path} ({self.status_code})"


# -- the evidence portfolio, made in the background ------------------------------------------


class PortfolioExport(models.Model):
    """An assessment's evidence portfolio: one PDF and a zip of its documents, made by a
    background job (heard.improvement.tasks) and kept to be downloaded."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="portfolios")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    pdf = models.FileField(storage=_evidence_storage, upload_to="portfolios/%Y/%m/", blank=True)
    documents = models.FileField(
        storage=_evidence_storage, upload_to="portfolios/%Y/%m/", blank=True
    )
    document_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Evidence portfolio of {self.assessment} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class ScoringCriterion(models.TextChoices):
    """The published criteria the Bright Ideas panel scores each suggestion against, 1 to 5."""

    CUSTOMERS = "customers", "Benefit to customers"
    STAFF = "staff", "Benefit to staff and how we work"
    SAVING = "saving", "Saves time or money"
    EASE = "ease", "Easy to put in place"


class SuggestionScore(models.Model):
    """One panel member's score of one suggestion against one criterion."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="scores")
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    criterion = models.CharField(max_length=20, choices=ScoringCriterion.choices)
    score = models.PositiveSmallIntegerField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["suggestion", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "scored_by", "criterion"], name="scored_once_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.get_criterion_display()} {self.score}"
