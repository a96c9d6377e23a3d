"""The organisation, its structure, its calendar and its staff's roles."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models

from heard.workdays.engine import Nation


def five_in_the_afternoon() -> time:
    """The default cut-off. A callable, not ``time(17, 0)``: Django's system check warns of a
    fixed time default (fields.W161) when it runs within ten seconds of that time of day."""
    return time(17, 0)


class Organisation(models.Model):
    """The one organisation a deployment serves (row id 1)."""

    class NationChoice(models.TextChoices):
        ENGLAND_AND_WALES = Nation.ENGLAND_AND_WALES, "England and Wales"
        SCOTLAND = Nation.SCOTLAND, "Scotland"
        NORTHERN_IRELAND = Nation.NORTHERN_IRELAND, "Northern Ireland"

    name = models.CharField(max_length=200, default="Your organisation")
    nation = models.CharField(
        max_length=20, choices=NationChoice.choices, default=NationChoice.ENGLAND_AND_WALES
    )
    timezone = models.CharField(max_length=64, default="Europe/London")
    working_day_cutoff = models.TimeField(
        default=five_in_the_afternoon,
        help_text="Contacts received after this local time count from the next working day.",
    )
    complaint_procedure = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Used for complaints when a case names no procedure.",
    )
    correspondence_procedure = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Used for every other kind of contact when a case names no procedure.",
    )

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the organisation is closed although it is not a bank holiday."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y} {self.description}".strip()


class AddedBankHoliday(models.Model):
    """A bank holiday the shipped GOV.UK list does not have yet (e.g. one newly announced)."""

    nation = models.CharField(max_length=20, choices=Organisation.NationChoice.choices)
    date = models.DateField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["nation", "date"], name="added_bank_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d %B %Y}, {self.get_nation_display()})"


class Directorate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Head of service: receives escalations of breaches.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["service__name", "name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="team_name_once")]

    def __str__(self) -> str:
        return f"{self.service} — {self.name}"


class Role(models.TextChoices):
    FRONT_LINE_OFFICER = "front_line_officer", "Front-line officer"
    COMPLAINTS_TEAM = "complaints_team", "Complaints team"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    PANEL_MEMBER = "panel_member", "Panel member"
    EQUALITY_OFFICER = "equality_officer", "Equality officer"
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"
    ADMINISTRATOR = "administrator", "Administrator"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ServiceMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_memberships"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="service_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.service}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is kept; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a token.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user}"


class ServiceRequestCategory(models.Model):
    """An entry in the service catalogue: what the public can ask for, and how fast it is done.

    Each category follows a one-stage procedure of its own whose response target is the
    category's target time, so its deadline comes from the same working-day rule as every
    other case.
    """

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="request_categories"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    target_days = models.PositiveSmallIntegerField(
        help_text="Working days to complete the request."
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service__name", "name"]
        verbose_name_plural = "service request categories"

    def __str__(self) -> str:
        return f"{self.service}: {self.name}"
