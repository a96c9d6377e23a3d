"""Messages Heard sends, and the templates administrators edit, in English and Welsh."""

from __future__ import annotations

from django.db import models

from heard.cases.models import Case


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg (Welsh)"


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message (SMS)"


class TemplateKey(models.TextChoices):
    OFFICER_REMINDER = "officer_reminder", "Reminder to the officer before a case is due"
    OFFICER_DUE_TODAY = "officer_due_today", "Reminder to the officer on the day a case is due"
    BREACH_ESCALATION = "breach_escalation", "A missed deadline, escalated to the head of service"
    WEEKLY_DIGEST = "weekly_digest", "Weekly review of a service's open cases"
    EXTENSION_NOTICE = (
        "extension_notice",
        "Holding update to the customer: the response date has moved",
    )
    LATE_NOTICE = "late_notice", "Holding update to the customer: the response is late"
    SURVEY_INVITATION = "survey_invitation", "Invitation to a satisfaction survey after closure"
    RESTRICTION_REVIEW = (
        "restriction_review",
        "Reminder that a customer restriction is due for review",
    )
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement to the customer, with the dates to expect"
    TRACKING_LINK = "tracking_link", "A link for the customer to follow their case"
    EARLY_WARNING = "early_warning", "An early warning: complaints about a theme or service rising"
    CORRESPONDENCE = (
        "correspondence",
        "A letter or email written on a case (subject and body as written)",
    )
    PLAN_ACTION_OVERDUE = (
        "plan_action_overdue",
        "Reminder to an action's lead officer that its completion date has passed",
    )
    PLAN_REVIEW_DUE = (
        "plan_review_due",
        "Reminder to an action's lead officer that a progress review is due",
    )


class MessageTemplate(models.Model):
    """Subject and body in Django's template language; administrators edit them in the admin."""

    key = models.CharField(max_length=40, choices=TemplateKey.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    channel = models.CharField(
        max_length=8, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    subject = models.CharField(max_length=200, blank=True, help_text="Emails only.")
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language", "channel"], name="message_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.get_channel_display()}, {self.get_language_display()})"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """One message to one recipient. The idempotency key makes sending it twice impossible."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    template_key = models.CharField(max_length=40, choices=TemplateKey.choices)
    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivery_backend = models.CharField(max_length=20, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]

    def __str__(self) -> str:
        return (
            f"{self.get_template_key_display()} to {self.recipient} ({self.get_status_display()})"
        )
