"""Letters and emails to customers: the templates they start from, and each one written.

A letter is drafted from a template (its merge fields filled in from the case), edited,
checked by a second person where the stage asks for it, and sent. Once sent it is the
copy kept on the case and does not change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.cases.models import Case
from heard.procedures.models import Stage


class Purpose(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    HOLDING = "holding", "Holding letter or extension"
    STAGE_RESPONSE = "stage_response", "Stage response"
    FINAL_RESPONSE = "final_response", "Final response"
    OTHER = "other", "Other"


class Medium(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter by post"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg (Welsh)"


class LetterTemplate(models.Model):
    """Wording an administrator keeps for a kind of letter, with merge fields such as {{ reference }}."""

    name = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    medium = models.CharField(max_length=10, choices=Medium.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(
        max_length=200, help_text="The email's subject, or the heading of the letter."
    )
    body = models.TextField()
    active = models.BooleanField(
        default=True, help_text="Officers can choose it when they write a letter or email."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "medium", "language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "medium", "language"], name="letter_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_medium_display().lower()}, {self.get_language_display()})"

    def clean(self) -> None:
        from heard.core.errors import InvalidInput
        from heard.correspondence.merge import validate_template

        try:
            validate_template(subject=self.subject, body=self.body)
        except InvalidInput as error:
            raise ValidationError({error.field or "body": error.message}) from error


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_CHECK = "awaiting_check", "Awaiting quality check"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"


class Letter(models.Model):
    """One letter or email to a customer, from draft to the copy kept after sending."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # The stage the letter was written at: its quality-check rule applies.
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    medium = models.CharField(max_length=10, choices=Medium.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    recipient = models.CharField(
        max_length=254, help_text="The email address, or the name the letter is addressed to."
    )
    address = models.TextField(blank=True, help_text="The postal address (letters only).")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_comments = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "notify.Message",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The outbox message that carries an email.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "case"], name="letter_status_case")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="letter_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_medium_display()} on {self.case_id}: {self.subject}"

    @property
    def is_email(self) -> bool:
        return self.medium == Medium.EMAIL
