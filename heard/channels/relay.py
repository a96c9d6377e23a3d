"""The mail relay's webhook: the raw message, signed with a shared secret.

The relay sends ``POST /channels/email/relay`` with the message exactly as received
(``Content-Type: message/rfc822``) and two headers:

* ``X-Relay-Timestamp``: the time of sending, in whole seconds since 1970 (UTC);
* ``X-Relay-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with
  ``HEARD_MAIL_RELAY_SECRET``, of the timestamp, a full stop, and the raw body.

A request older or newer than ``HEARD_MAIL_RELAY_TOLERANCE_SECONDS`` is refused, and so is
the same signature a second time (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from heard.channels.models import RelayDelivery
from heard.core.errors import InvalidInput, NotPermitted


def sign(body: bytes, timestamp: int, secret: str) -> str:
    """The signature the relay sends (also used by tests and by relays written in Python)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(body: bytes, *, timestamp: str, signature: str, now: datetime | None = None) -> None:
    """Accept a signed delivery once; NotPermitted (with what to fix) otherwise."""
    secret = settings.HEARD_MAIL_RELAY_SECRET
    if not secret:
        raise NotPermitted(
            "The mail relay webhook is switched off: set HEARD_MAIL_RELAY_SECRET to turn it on."
        )
    try:
        sent = int(timestamp)
    except (TypeError, ValueError) as error:
        raise InvalidInput(
            "Send X-Relay-Timestamp as whole seconds since 1970 (UTC).", field="timestamp"
        ) from error
    now = now or timezone.now()
    tolerance = settings.HEARD_MAIL_RELAY_TOLERANCE_SECONDS
    sent_at = datetime.fromtimestamp(sent, tz=UTC)
    if abs((now - sent_at).total_seconds()) > tolerance:
        raise NotPermitted(
            f"The timestamp is more than {tolerance} seconds from Heard's clock; check the "
            "relay's clock and send the message again with a fresh timestamp and signature."
        )
    expected = sign(body, sent, secret)
    if not hmac.compare_digest(expected, (signature or "").strip()):
        raise NotPermitted(
            "The signature does not match: sign the timestamp, a full stop and the raw body "
            "with HMAC-SHA256 and the shared secret, and send it as sha256=HEX."
        )
    digest = expected.removeprefix("sha256=")
    try:
        with transaction.atomic():
            RelayDelivery.objects.create(signature=digest, timestamp=sent_at)
    except IntegrityError as error:
        raise NotPermitted(
            "This delivery was already accepted (a replay); sign each delivery afresh."
        ) from error
    RelayDelivery.objects.filter(timestamp__lt=now - timedelta(seconds=2 * tolerance)).delete()
