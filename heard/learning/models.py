"""Learning from complaints: the organisation's themes and root causes, what was recorded on
each case, the trained theme-suggestion model, early warnings and the lessons register."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.models import Case
from heard.org.models import Service


class Theme(models.Model):
    """What a contact was about (missed bin collection, staff attitude…), as the organisation names it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(
        default=True, help_text="Themes no longer used stay on past cases but are not offered."
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class RootCause(models.Model):
    """Why it went wrong: process, people, policy, system, third party…"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Classification(models.Model):
    """The themes and root cause an officer recorded for one stage of a case.

    Recording again at the same stage corrects it; the latest one of a case is its training example.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classifications")
    stage_number = models.PositiveSmallIntegerField()
    themes = models.ManyToManyField(Theme, related_name="classifications")
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="classifications"
    )
    suggested = models.JSONField(
        default=list,
        blank=True,
        help_text="The themes Heard suggested when this was recorded (slug and confidence).",
    )
    corrected = models.BooleanField(
        default=False, help_text="The officer chose otherwise than Heard's top suggestion."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["case", "stage_number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage_number"], name="classification_once")
        ]
        indexes = [models.Index(fields=["at"], name="classification_at")]

    def __str__(self) -> str:
        return f"{self.case_id} stage {self.stage_number}"


class ThemeModel(models.Model):
    """A trained theme-suggestion model: TF-IDF vocabulary and weights as a NumPy .npz (no pickle)."""

    trained_at = models.DateTimeField()
    weights = models.BinaryField(
        help_text="numpy.savez_compressed; loaded with allow_pickle=False."
    )
    themes = models.JSONField(help_text="Theme slugs, in the order of the weight rows.")
    examples = models.PositiveIntegerField(help_text="Cases it was trained on.")
    held_out = models.PositiveIntegerField(
        default=0, help_text="Newest cases kept back to measure it (before the final fit)."
    )
    accuracy = models.FloatField(
        null=True,
        blank=True,
        help_text="Held-out: the top suggestion is one of the recorded themes.",
    )
    top3_accuracy = models.FloatField(null=True, blank=True)
    baseline_accuracy = models.FloatField(
        null=True,
        blank=True,
        help_text="Held-out accuracy of always suggesting the commonest theme.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"Theme model of {self.trained_at:%d %B %Y %H:%M}"


class Dimension(models.TextChoices):
    THEME = "theme", "Theme"
    SERVICE = "service", "Service"
    AREA = "area", "Area (postcode district)"


class WarningStatus(models.TextChoices):
    OPEN = "open", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISMISSED = "dismissed", "Dismissed"


class Period(models.TextChoices):
    WEEK = "week", "7 days"
    DAY = "day", "Day (service requests)"


class EarlyWarning(models.Model):
    """A rise in contacts about one theme, service or area beyond what chance explains.

    Service requests are counted by the day, other contacts by the week (``period``).
    """

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    period = models.CharField(max_length=4, choices=Period.choices, default=Period.WEEK)
    key = models.CharField(max_length=100, help_text="The theme slug, service slug or district.")
    label = models.CharField(max_length=200)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_warnings"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    observed = models.PositiveIntegerField()
    baseline_weeks = models.PositiveSmallIntegerField()
    expected = models.FloatField(help_text="Average per 7 days over the baseline weeks.")
    threshold = models.PositiveIntegerField(help_text="The smallest count that raises a warning.")
    probability = models.FloatField(help_text="Chance of so many or more if nothing had changed.")
    explanation = models.TextField()
    cases = models.ManyToManyField(Case, related_name="early_warnings", blank=True)
    raised_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "period", "period_end"], name="early_warning_once"
            )
        ]
        indexes = [models.Index(fields=["dimension", "key", "period_end"], name="warning_series")]

    def __str__(self) -> str:
        if self.period == Period.DAY:
            return f"{self.label}: {self.observed} on {self.period_end:%d %B %Y}"
        return f"{self.label}: {self.observed} in the 7 days to {self.period_end:%d %B %Y}"


class RepeatContact(models.Model):
    """A contact from a customer about the same thing as their earlier one within a few days:
    failure demand (found by :func:`heard.learning.repeats.flag_repeat_contacts`)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="repeat_contact")
    earlier = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    days_after = models.PositiveSmallIntegerField()
    reasons = models.CharField(max_length=300)
    found_at = models.DateTimeField()

    class Meta:
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} repeats {self.earlier_id} after {self.days_after} days"


class LessonStatus(models.TextChoices):
    IDENTIFIED = "identified", "Lesson identified"
    IN_PROGRESS = "in_progress", "Change under way"
    DONE = "done", "Changed"
    NOT_GOING_AHEAD = "not_going_ahead", "Not going ahead"


class Lesson(models.Model):
    """A lesson learned from complaints, followed through to a change ("you said, we did")."""

    title = models.CharField(max_length=200)
    you_said = models.TextField(
        help_text="What customers told us, in words for the public: no names or case details."
    )
    we_did = models.TextField(
        blank=True, help_text="What we changed or are changing, in words for the public."
    )
    notes = models.TextField(blank=True, help_text="Internal notes; never published.")
    themes = models.ManyToManyField(Theme, related_name="lessons", blank=True)
    cases = models.ManyToManyField(Case, related_name="lessons", blank=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=LessonStatus.choices, default=LessonStatus.IDENTIFIED
    )
    changed_on = models.DateField(null=True, blank=True, help_text="When the change was made.")
    evidence = models.TextField(blank=True, help_text="How we know the change was made.")
    public = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
