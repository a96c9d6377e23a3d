"""Queueing and delivering messages, exactly once.

A message is a row (the outbox) written in the same transaction as whatever caused it,
with a unique idempotency key: queueing the same thing twice gives the same message.
Delivery is a background job that can run any number of times: a message already sent
is not sent again, one being sent by a live worker is left alone, and one whose worker
died mid-send is asked about (GOV.UK Notify, by reference) or resent with the same
Message-ID (SMTP), so the customer sees one message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone

from heard.cases.models import Case, CaseEvent
from heard.notify.backends import PermanentFailure, backend_for
from heard.notify.models import Language, Message, MessageChannel, MessageStatus, MessageTemplate

logger = logging.getLogger("heard.notify")
MAX_ATTEMPTS = 6


def stale_after() -> timedelta:
    return timedelta(seconds=settings.HEARD_MESSAGE_STALE_SECONDS)


def queue_message(
    *,
    key: str,
    template_key: str,
    recipient: str,
    context: dict[str, Any],
    case: Case | None = None,
    channel: str = MessageChannel.EMAIL,
    language: str = Language.ENGLISH,
) -> Message:
    """Queue a message once per ``key``; later calls with the same key return the first."""
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    template = (
        MessageTemplate.objects.filter(key=template_key, channel=channel, language=language).first()
        or MessageTemplate.objects.filter(
            key=template_key, channel=channel, language=Language.ENGLISH
        ).first()
    )
    if template is None:
        raise LookupError(f"There is no {channel} template '{template_key}'. Add one in the admin.")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                idempotency_key=key,
                case=case,
                template_key=template_key,
                channel=channel,
                language=template.language,
                recipient=recipient,
                subject=_render(template.subject, context)[:200],
                body=_render(template.body, context),
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=key)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def deliver(message_id: int, *, now: datetime | None = None) -> str:
    """Deliver one message if it still needs delivering; returns its status afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.status in (MessageStatus.SENT, MessageStatus.FAILED):
            return message.status
        interrupted = message.status == MessageStatus.SENDING
        if interrupted and message.attempted_at and now - message.attempted_at < stale_after():
            return message.status  # another worker is sending it right now
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.attempted_at = now
        message.save(update_fields=["status", "attempts", "attempted_at"])

    try:
        backend = backend_for(message)
        reference = backend.already_sent(message) if interrupted else None
        if reference is None:
            reference = backend.send(message)
    except PermanentFailure as error:
        return _failed(message, str(error))
    except Exception as error:
        logger.warning(
            "Delivery of message %s failed (attempt %s): %s", message.pk, message.attempts, error
        )
        if message.attempts >= MAX_ATTEMPTS:
            return _failed(message, f"Gave up after {message.attempts} attempts: {error}")
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.QUEUED, last_error=str(error)[:2000]
        )
        return MessageStatus.QUEUED  # released again after a back-off by release_stalled_messages

    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            provider_reference=reference[:200],
            delivery_backend=backend.name,
            last_error="",
        )
        if message.case_id:
            CaseEvent.objects.create(
                case_id=message.case_id,
                action="message_sent",
                at=timezone.now(),
                summary=f"{message.get_channel_display()} sent to {message.recipient}: {message.subject or message.body[:80]}"[
                    :500
                ],
                after={
                    "message": message.pk,
                    "template": message.template_key,
                    "backend": backend.name,
                },
            )
    return MessageStatus.SENT


def release_stalled_messages(*, now: datetime | None = None) -> int:
    """Enqueue again every message that is waiting and has no live attempt; returns how many.

    This catches a message whose enqueue was lost (a crash between commit and enqueue),
    a retry after a temporary failure (with a back-off), and a send interrupted by a crash.
    """
    now = now or timezone.now()
    stale = now - stale_after()
    waiting = Message.objects.filter(status=MessageStatus.QUEUED, created_at__lt=stale).exclude(
        attempted_at__gt=stale
    ) | Message.objects.filter(status=MessageStatus.SENDING, attempted_at__lt=stale)
    released = 0
    for message in waiting.only("pk", "attempts", "attempted_at"):
        backoff = stale_after() * (2 ** max(0, message.attempts - 1))
        if message.attempted_at and now - message.attempted_at < backoff:
            continue
        _enqueue(message.pk)
        released += 1
    return released


def _failed(message: Message, reason: str) -> str:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, last_error=reason[:2000]
        )
        if message.case_id:
            CaseEvent.objects.create(
                case_id=message.case_id,
                action="message_failed",
                at=timezone.now(),
                summary=f"{message.get_channel_display()} to {message.recipient} could not be sent: {reason}"[
                    :500
                ],
                after={
                    "message": message.pk,
                    "template": message.template_key,
                    "error": reason[:500],
                },
            )
    return MessageStatus.FAILED


def _enqueue(message_id: int) -> None:
    from heard.notify.tasks import deliver_message

    deliver_message.enqueue(message_id)


def _render(source: str, context: dict[str, Any]) -> str:
    return Template(source).render(Context(context, autoescape=False)).strip()


def retry_failed(message: Message) -> bool:
    """Queue a failed message again (from the admin); returns whether it was failed."""
    updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, attempted_at=None
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(message.pk))
    return bool(updated)
