"""Equality-monitoring answers: optional, kept apart from cases, seen in aggregate only.

There is deliberately no link to the case or the customer: an answer records only the
month and the kind of contact it followed, so it can never be shown with a case.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT = ("prefer_not_to_say", _("Prefer not to say"))


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("Under 25")
    FROM_25_TO_44 = "25_44", _("25 to 44")
    FROM_45_TO_64 = "45_64", _("45 to 64")
    OVER_64 = "65_plus", _("65 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Ethnicity(models.TextChoices):
    ASIAN = "asian", _("Asian or Asian British")
    BLACK = "black", _("Black, Black British, Caribbean or African")
    MIXED = "mixed", _("Mixed or multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Another ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    CHRISTIAN = "christian", _("Christian")
    MUSLIM = "muslim", _("Muslim")
    HINDU = "hindu", _("Hindu")
    SIKH = "sikh", _("Sikh")
    JEWISH = "jewish", _("Jewish")
    BUDDHIST = "buddhist", _("Buddhist")
    OTHER = "other", _("Another religion or belief")
    PREFER_NOT_TO_SAY = PREFER_NOT


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT


class EqualityResponse(models.Model):
    month = models.DateField(help_text="The first day of the month it was given.")
    contact_kind = models.CharField(max_length=20)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    gender_same_as_at_birth = models.CharField(max_length=20, choices=YesNo.choices, blank=True)
    disabled = models.CharField(max_length=20, choices=YesNo.choices, blank=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, blank=True
    )

    class Meta:
        indexes = [models.Index(fields=["month", "contact_kind"], name="equality_month_kind")]

    def __str__(self) -> str:
        return f"Equality monitoring, {self.month:%B %Y}"
