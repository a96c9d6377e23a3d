"""What customers tell us about how we handled their case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from heard.cases.models import Case


class Rating(models.IntegerChoices):
    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class SurveyResponse(models.Model):
    """One answer per case, given after it closed (seed 004: measure satisfaction)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="survey_response")
    handling = models.PositiveSmallIntegerField(choices=Rating.choices)
    timeliness = models.PositiveSmallIntegerField(choices=Rating.choices)
    outcome = models.PositiveSmallIntegerField(choices=Rating.choices)
    ease_of_contact = models.PositiveSmallIntegerField(choices=Rating.choices)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Survey for {self.case.reference}"
