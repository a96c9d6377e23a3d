"""Outbound webhooks: who is told about which case events, and each telling."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.cases.models import CaseEvent
from heard.org.models import Service

# Plain http:// is refused except to this machine, for trying a receiver out.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Event(models.TextChoices):
    """The case actions a subscription can pick; "every event" also covers the rest of the log."""

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ALLOCATED = "allocated", "Allocated to a service or officer"
    EXTENDED = "extended", "Response date extended"
    RESPONDED = "responded", "Responded"
    ESCALATED = "escalated", "Escalated to the next stage"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    LINKED = "linked", "Linked to another case"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_target_url(value: str) -> None:
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        return
    raise ValidationError(
        "Use an https:// address: webhooks must be encrypted on the way. Plain http:// is "
        "allowed only to 127.0.0.1 or localhost, for trying a receiver out.",
        code="insecure_url",
    )


class Subscription(models.Model):
    """Another system that wants to follow case events, and the secret its deliveries are signed with."""

    name = models.CharField(max_length=100, help_text="The system told, e.g. “Street works CRM”.")
    target_url = models.URLField(
        "address",
        max_length=500,
        validators=[validate_target_url],
        help_text="Where events are posted. Must be https:// (http:// only to localhost).",
    )
    secret = models.CharField(
        max_length=64,
        default=new_secret,
        editable=False,
        help_text="Signs every delivery (Heard-Signature). Give it to the receiving system.",
    )
    all_events = models.BooleanField(
        "every event",
        default=False,
        help_text="Every entry of the case log, including notes, files and messages sent.",
    )
    events = models.JSONField(
        default=list, blank=True, help_text="The case actions to send, unless every event is."
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only cases of this service. Leave empty for every case.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = sorted(set(self.events or []) - set(Event.values))
        if unknown:
            raise ValidationError({"events": f"Unknown event(s): {', '.join(unknown)}."})
        if not self.all_events and not self.events:
            raise ValidationError({"events": "Choose the events to send, or tick every event."})

    def wants(self, action: str) -> bool:
        return self.all_events or action in (self.events or [])


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed permanently"


class Delivery(models.Model):
    """One event for one subscription: posted until the receiver takes it, or given up on."""

    id_for_receiver = models.UUIDField(
        "webhook id",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Sent as Heard-Webhook-Id, the same on every attempt.",
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a job to deliver it was last put on the queue."
    )
    give_up_at = models.DateTimeField(
        help_text="Retries stop here: a delivery not taken by then fails permanently."
    )
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        event = self.payload.get("event", {})
        case = self.payload.get("case", {})
        return f"{event.get('action', 'event')} of {case.get('reference', '?')} ({self.get_status_display()})"
