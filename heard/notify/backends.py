"""Delivery backends: SMTP through Django's mail framework, or GOV.UK Notify."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from heard.notify.models import Message, MessageChannel


class PermanentFailure(Exception):
    """Retrying will not help (an invalid address, a missing configuration)."""


class DeliveryBackend(Protocol):
    name: str

    def send(self, message: Message) -> str:
        """Deliver the message; return the provider's reference for it."""

    def already_sent(self, message: Message) -> str | None:
        """After an interrupted attempt: the provider's reference if it did receive the message."""


def message_id(message: Message) -> str:
    """The same Message-ID on every attempt, so a resend after a crash is recognised as the same mail."""
    return f"<{message.idempotency_key.replace(':', '.')}@{settings.HEARD_MESSAGE_ID_DOMAIN}>"


class SmtpBackend:
    name = "smtp"

    def send(self, message: Message) -> str:
        if message.channel != MessageChannel.EMAIL:
            raise PermanentFailure(
                "Text messages need GOV.UK Notify (set HEARD_MESSAGE_BACKEND=notify)."
            )
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id(message), "Auto-Submitted": "auto-generated"},
        )
        mail.send(fail_silently=False)
        return message_id(message)

    def already_sent(self, message: Message) -> str | None:
        return None  # SMTP cannot say; the resend carries the same Message-ID


class NotifyBackend:
    """GOV.UK Notify, with one generic template per channel taking ((subject)) and ((body))."""

    name = "notify"

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        if not settings.NOTIFY_API_KEY:
            raise PermanentFailure("GOV.UK Notify is chosen but NOTIFY_API_KEY is not set.")
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL
        )

    def send(self, message: Message) -> str:
        from notifications_python_client.errors import HTTPError

        try:
            if message.channel == MessageChannel.SMS:
                response = self.client.send_sms_notification(
                    phone_number=message.recipient,
                    template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                    personalisation={"body": message.body},
                    reference=message.idempotency_key,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=message.recipient,
                    template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=message.idempotency_key,
                )
        except HTTPError as error:
            if 400 <= error.status_code < 500 and error.status_code != 429:
                raise PermanentFailure(
                    f"GOV.UK Notify refused the message: {error.message}"
                ) from error
            raise
        return str(response["id"])

    def already_sent(self, message: Message) -> str | None:
        found = self.client.get_all_notifications(reference=message.idempotency_key)
        notifications = found.get("notifications", [])
        return str(notifications[0]["id"]) if notifications else None


def backend_for(message: Message) -> DeliveryBackend:
    if message.channel == MessageChannel.SMS or settings.HEARD_MESSAGE_BACKEND == "notify":
        return NotifyBackend()
    return SmtpBackend()
