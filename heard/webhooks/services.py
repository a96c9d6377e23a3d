"""Telling other systems about case events: signed posts, retried until taken or given up.

A delivery is a row written in the same transaction as the event it reports, so a step
that rolls back sends nothing, and a commit followed by a crash loses nothing: the job is
enqueued on commit, and the periodic duty (:func:`enqueue_due_deliveries`, run by the
worker's housekeeping) enqueues any delivery that is due and has no job waiting — a lost
enqueue, a retry after a failure, an attempt cut short by a crash.

Each job names the attempt it is for; the first job to claim that attempt makes it and any
duplicate of it does nothing, so a receiver is posted to at most once per attempt. An
attempt interrupted after posting is made again with the same Heard-Webhook-Id, which is
why receivers drop ids they have already seen.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from heard.cases.models import Case, CaseEvent
from heard.webhooks.models import Delivery, DeliveryStatus, Subscription, validate_target_url

logger = logging.getLogger("heard.webhooks")

# Waits between attempts: 1, 5 and 15 minutes, 1 and 3 hours, then every 6 hours...
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
# ...until the next attempt would fall this long after the event: then the delivery fails.
GIVE_UP_AFTER = timedelta(hours=24)
# A delivery whose job has not run this long after it was queued is queued again.
REQUEUE_AFTER = timedelta(minutes=10)
# Statuses worth trying again: the receiver is busy, overloaded or briefly broken.
RETRYABLE_STATUSES = frozenset({408, 429})
USER_AGENT = "Heard-Webhooks/1"


class Retryable(Exception):
    """The receiver could not take the delivery now; try again later (``after`` at the
    soonest, where the receiver said when in a Retry-After header)."""

    def __init__(self, message: str, *, after: timedelta | None = None) -> None:
        super().__init__(message)
        self.after = after


class Refused(Exception):
    """The receiver will never take this delivery as it is; give up."""


def record_deliveries(event: CaseEvent) -> list[Delivery]:
    """Write a delivery of ``event`` for each active subscription that wants it; jobs go on commit."""
    subscriptions = [
        subscription
        for subscription in Subscription.objects.filter(active=True)
        if subscription.wants(event.action)
    ]
    if not subscriptions:
        return []
    case = event.case
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        if subscription.service_id is not None and subscription.service_id != case.service_id:
            continue
        delivery = Delivery(
            subscription=subscription,
            event=event,
            next_attempt_at=now,
            queued_at=now,  # its job is enqueued on commit, so the duty leaves it alone a while
            give_up_at=now + GIVE_UP_AFTER,
        )
        delivery.payload = payload_of(event, case, delivery)
        delivery.save()
        transaction.on_commit(partial(_enqueue, delivery.pk, 0))
        deliveries.append(delivery)
    return deliveries


def payload_of(event: CaseEvent, case: Case, delivery: Delivery) -> dict[str, Any]:
    """What a receiver is told: which case did what, when — never who the customer is."""
    return {
        "id": str(delivery.id_for_receiver),
        "event": {
            "id": event.pk,
            "action": event.action,
            "at": event.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        },
        "case": {
            "reference": case.reference,
            "kind": case.kind,
            "status": case.status,
            "stage": case.stage_number,
            "service": case.service.slug if case.service else None,
        },
    }


def body_of(delivery: Delivery) -> bytes:
    """The exact bytes posted (and signed); the same on every attempt."""
    return json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp.body`` keyed with the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def deliver(delivery_id: int, attempt: int, *, now: datetime | None = None) -> str:
    """Make attempt number ``attempt + 1`` of a delivery, unless it was made already; returns the status."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "gone"
        if delivery.status != DeliveryStatus.PENDING or delivery.attempts != attempt:
            return delivery.status  # delivered, given up, or this attempt was made by another job
        if not delivery.subscription.active:
            return "paused"  # the duty takes it up again when the subscription is switched back on
        delivery.attempts += 1
        # Set before posting: should this worker die mid-post, the duty picks it up from here.
        delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        delivery.save(update_fields=["attempts", "next_attempt_at"])

    try:
        response_status = _post(delivery, now)
    except Refused as error:
        return _finish(delivery, DeliveryStatus.FAILED, error)
    except Retryable as error:
        logger.warning(
            "Webhook delivery %s to %s failed (attempt %s): %s",
            delivery.pk,
            delivery.subscription.name,
            delivery.attempts,
            error,
        )
        if error.after is not None and now + error.after > delivery.next_attempt_at:
            delivery.next_attempt_at = now + error.after  # as the receiver asked
        if delivery.next_attempt_at > delivery.give_up_at:
            reason = f"Gave up after {delivery.attempts} attempts over 24 hours. Last: {error}"
            return _finish(delivery, DeliveryStatus.FAILED, error, reason=reason)
        return _finish(delivery, DeliveryStatus.PENDING, error)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED,
        delivered_at=timezone.now(),
        response_status=response_status,
        last_error="",
    )
    return DeliveryStatus.DELIVERED


def enqueue_due_deliveries(*, now: datetime | None = None) -> int:
    """Enqueue a job for every pending delivery that is due and has none waiting; returns how many.

    Called by the worker's housekeeping beside the schedules. The rows are locked while they
    are marked queued (SKIP LOCKED on PostgreSQL), so each due attempt is enqueued once.
    """
    now = now or timezone.now()
    enqueued = 0
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(subscription__active=True)
            .filter(
                Q(queued_at__isnull=True)
                | Q(queued_at__lt=F("next_attempt_at"))
                | Q(queued_at__lt=now - REQUEUE_AFTER)
            )
            .only("pk", "attempts", "queued_at")
            .order_by("next_attempt_at")[:500]
        )
        for delivery in due:
            delivery.queued_at = now
            delivery.save(update_fields=["queued_at"])
            transaction.on_commit(partial(_enqueue, delivery.pk, delivery.attempts))
            enqueued += 1
    return enqueued


def retry_now(delivery: Delivery, *, now: datetime | None = None) -> bool:
    """Try a pending or failed delivery at once (a failed one starts its retries afresh)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if locked is None or locked.status == DeliveryStatus.DELIVERED:
            return False
        if locked.status == DeliveryStatus.FAILED:
            locked.attempts = 0
            locked.give_up_at = now + GIVE_UP_AFTER
        locked.status = DeliveryStatus.PENDING
        locked.next_attempt_at = now
        locked.queued_at = now
        locked.save(
            update_fields=["status", "attempts", "give_up_at", "next_attempt_at", "queued_at"]
        )
        transaction.on_commit(partial(_enqueue, locked.pk, locked.attempts))
    return True


def _post(delivery: Delivery, now: datetime) -> int:
    body = body_of(delivery)
    timestamp = str(int(now.timestamp()))
    address = delivery.subscription.target_url
    try:
        validate_target_url(address)
    except ValidationError as error:  # changed behind the admin's back: never open file: etc.
        raise Refused(" ".join(error.messages)) from error
    checked = check_receiver_address(address)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
        address,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Heard-Webhook-Id": str(delivery.id_for_receiver),
            "Heard-Webhook-Timestamp": timestamp,
            "Heard-Signature": signature(delivery.subscription.secret, timestamp, body),
        },
    )
    host = urlsplit(address).hostname or ""
    opener = urllib.request.build_opener(
        _NoRedirects, _PinnedHTTPHandler(host, checked), _PinnedHTTPSHandler(host, checked)
    )
    try:
        with opener.open(request, timeout=settings.HEARD_WEBHOOK_TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
        said = _first_words(error)
        delivery.response_status = status
        if status >= 500 or status in RETRYABLE_STATUSES:
            after = retry_after(error.headers.get("Retry-After"), now)
            raise Retryable(f"The receiver answered {status}{said}.", after=after) from error
        if 300 <= status < 400:
            raise Refused(
                f"The receiver redirected ({status}) to {error.headers.get('Location', '?')}; "
                "webhooks do not follow redirects: change the subscription's address."
            ) from error
        raise Refused(f"The receiver refused the delivery with {status}{said}.") from error
    except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, bad TLS
        delivery.response_status = None
        raise Retryable(f"Could not reach the receiver: {error}") from error
    return status  # urllib raises every status outside 200-299 as an HTTPError


def check_receiver_address(address: str) -> list[str]:
    """Refuse a receiver whose host resolves to an address only this server can reach; else
    the addresses it resolved to, which the delivery then connects to.

    Loopback stays allowed (a receiver being tried out on this machine); private, link-local
    (169.254.169.254 is a cloud's metadata service), shared, reserved and multicast addresses
    are refused unless they fall in HEARD_WEBHOOK_ALLOWED_NETWORKS. Checked at every attempt,
    since names can be re-pointed after the subscription was saved; and the connection goes to
    the addresses checked, not to a second look-up that a name re-pointed in between (DNS
    rebinding) could send inside the network.
    """
    host = urlsplit(address).hostname or ""
    port = urlsplit(address).port
    try:
        found = {
            str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        }
    except OSError as error:
        raise Retryable(f"Could not look up the receiver's name {host!r}: {error}") from error
    allowed = [
        ipaddress.ip_network(n, strict=False) for n in settings.HEARD_WEBHOOK_ALLOWED_NETWORKS
    ]
    for text in sorted(found):
        ip = ipaddress.ip_address(text.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
        if ip.is_loopback or any(ip in network for network in allowed):
            continue
        if not ip.is_global or ip.is_multicast:
            raise Refused(
                f"The receiver's address {host} is {ip}, inside a private or reserved network. "
                "Webhooks go only to public addresses, or to networks listed in "
                "HEARD_WEBHOOK_ALLOWED_NETWORKS."
            )
    return sorted(found, key=lambda text: (":" in text, text))  # IPv4 first


def _pinned(host: str, addresses: list[str]) -> Any:
    """An http.client connection class that reaches ``host`` only at ``addresses`` (a
    connection to anything else — a proxy from the environment — is left alone). TLS still
    checks the certificate against the host's name."""

    def connect_to_checked(
        target: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        failure: OSError | None = None
        for checked in addresses:
            try:
                return socket.create_connection((checked, target[1]), timeout, source_address)
            except OSError as error:
                failure = error
        raise failure or OSError(f"No address to connect to for {host}")

    def connection(connection_class: Any) -> Any:
        def make(target: str, **kwargs: Any) -> http.client.HTTPConnection:
            made = connection_class(target, **kwargs)
            if made.host.strip("[]").lower() == host.lower():
                made._create_connection = connect_to_checked
            return made

        return make

    return connection


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, host: str, addresses: list[str]) -> None:
        super().__init__()
        self._connection = _pinned(host, addresses)(http.client.HTTPConnection)

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, host: str, addresses: list[str]) -> None:
        super().__init__()
        self._connection = _pinned(host, addresses)(http.client.HTTPSConnection)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)  # the default context: certificates checked


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


def _first_words(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read(300).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        text = ""
    return f": {text}" if text else ""


def retry_after(header: str | None, now: datetime) -> timedelta | None:
    """The wait a Retry-After header asks for (seconds, or an HTTP date), at most the longest
    backoff; None where there is none or it cannot be read."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        wait = timedelta(seconds=int(header))
    else:
        try:
            wait = parsedate_to_datetime(header) - now
        except (TypeError, ValueError):
            return None
    return max(timedelta(0), min(wait, BACKOFF[-1]))


def _finish(delivery: Delivery, status: str, error: Exception, *, reason: str | None = None) -> str:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        response_status=delivery.response_status,
        last_error=(reason or str(error))[:2000],
        next_attempt_at=delivery.next_attempt_at,
    )
    return status


def _enqueue(delivery_id: int, attempt: int) -> None:
    from heard.webhooks.tasks import deliver_webhook

    deliver_webhook.enqueue(delivery_id, attempt)
