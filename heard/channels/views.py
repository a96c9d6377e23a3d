"""HTTP for the channels: the mail relay's webhook. Thin: check, call, answer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from heard.channels import relay
from heard.channels.email_in import recipients, take_in_message
from heard.channels.models import Mailbox
from heard.core.errors import DomainError


@csrf_exempt  # signed with the shared secret instead; no browser ever posts here
@require_POST
def email_relay(request: HttpRequest) -> JsonResponse:
    """Take in one message posted by the mail relay."""
    length = int(request.headers.get("Content-Length") or 0)
    if length > settings.HEARD_MAIL_MAX_BYTES:
        return _error(
            413,
            f"The message is larger than {settings.HEARD_MAIL_MAX_BYTES:,} bytes; refuse it at the relay.",
        )
    body = request.body
    try:
        relay.verify(
            body,
            timestamp=request.headers.get("X-Relay-Timestamp", ""),
            signature=request.headers.get("X-Relay-Signature", ""),
        )
    except DomainError as error:
        return _error(error.status_code if error.status_code != 403 else 401, error.message)
    if not body.strip():
        return _error(400, "Send the message as the body, exactly as received (message/rfc822).")
    mailbox = _mailbox_for(request.headers.get("X-Relay-Recipient", ""), body)
    record = take_in_message(body, mailbox=mailbox, arrived_by="relay")
    return JsonResponse(
        {
            "message_id": record.message_id,
            "outcome": record.outcome,
            "case": record.case.reference if record.case else None,
        },
        status=200,
    )


def _mailbox_for(recipient: str, body: bytes) -> Mailbox | None:
    addresses = [recipient.strip().lower()] if recipient.strip() else recipients(body)
    return Mailbox.objects.filter(address__in=addresses, active=True).first()


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
