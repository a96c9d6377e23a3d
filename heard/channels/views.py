"""HTTP for the channels: the mail relay's webhook and the call backs owed. Thin: check, call,
answer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from heard.channels import phone, relay
from heard.channels.email_in import recipients, take_in_message
from heard.channels.models import Mailbox
from heard.core.errors import DomainError, NotFound, NotPermitted


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


@login_required
@require_GET
def call_backs(request: HttpRequest) -> HttpResponse:
    """The call backs owed, each with the time it is due by."""
    try:
        tasks = phone.call_backs_owed(request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    return render(
        request,
        "channels/call_backs.html",
        {"tasks": tasks, "overdue": sum(t.overdue for t in tasks), "now": timezone.now()},
    )


@login_required
@require_POST
def call_back_done(request: HttpRequest, call_id: int) -> HttpResponse:
    """Record that the caller has been called back (now)."""
    try:
        call = phone.call_back_for(request.user, call_id)
        phone.record_call_back(call, by=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, f"Call back to {call.caller_number or 'the caller'} recorded.")
    return redirect("channels:call-backs")
