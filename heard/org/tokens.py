"""API tokens: created once, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.org.models import ApiToken

# last_used_at is written at most this often, so that reads do not each cost a write.
TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: Any) -> str:
    """Create a token for ``user`` and return it; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8])
    return token


def user_for_token(token: str) -> Any | None:
    """The active user a live token belongs to, or None."""
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def user_for_request(request: Any, token: str) -> Any | None:
    """:func:`user_for_token`, looked up once per request: the external-assessor check and the
    API's authentication both need the token's owner."""
    memo = getattr(request, "_heard_token_user", None)
    if memo is not None and memo[0] == token:
        return memo[1]
    user = user_for_token(token)
    request._heard_token_user = (token, user)
    return user


def revoke_tokens(user: Any) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
