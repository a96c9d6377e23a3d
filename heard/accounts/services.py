"""Signing in: lock-out limits, two-step verification, idle sessions, single sign-on accounts.

The views and middleware in this app only ask here and act on the answer.
"""

from __future__ import annotations

import enum
import hashlib
import math
import re
from base64 import b32encode
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.models import SingleSignOnIdentity
from heard.core.errors import InvalidInput, NotPermitted
from heard.org.models import Role, RoleAssignment
from heard.org.services import parse_role

# -- Lock-out after repeated wrong passwords (django-axes asks these) -----------------------


def sign_in_failure_limit(
    request: HttpRequest | None = None, credentials: Mapping[str, Any] | None = None
) -> int:
    """Wrong passwords in a row, for one username from one address, before signing in pauses."""
    return int(settings.HEARD_SIGNIN_FAILURE_LIMIT)


def sign_in_cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long signing in stays paused after the last counted wrong password."""
    return timedelta(minutes=int(settings.HEARD_SIGNIN_COOLOFF_MINUTES))


def is_single_sign_on_attempt(
    request: HttpRequest | None, credentials: Mapping[str, Any] | None
) -> bool:
    """Single sign-on is left to the identity provider, which checks and counts those credentials.

    Only the single sign-on callback authenticates with a ``nonce``; sign-in forms pass a
    username and a password and nothing else.
    """
    return "nonce" in (credentials or {})


def remaining_sign_in_tries(request: HttpRequest) -> int | None:
    """Wrong passwords left before signing in pauses, once one has been counted."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(sign_in_failure_limit() - int(failures), 0)


def minutes(count: int) -> str:
    return f"{count} minute" if count == 1 else f"{count} minutes"


# -- Sessions -------------------------------------------------------------------------------

SIGNED_IN_WITH = "heard_signed_in_with"
PASSWORD = "password"  # noqa: S105  (how someone signed in, not a password)
SINGLE_SIGN_ON = "single_sign_on"
LAST_ACTIVITY = "heard_last_activity"
# Activity is written to the session at most this often, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60


def start_session(session: SessionBase, *, signed_in_with: str, now: float) -> None:
    """Note how the person signed in; a password sign-in always asks for a fresh code."""
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session[SIGNED_IN_WITH] = signed_in_with
    session[LAST_ACTIVITY] = now


def idle_limit_seconds() -> int:
    return int(settings.HEARD_SESSION_IDLE_MINUTES) * 60


def still_active(session: SessionBase, *, now: float) -> bool:
    """Whether a signed-in session was used recently enough to go on; if so, notes this use."""
    last = session.get(LAST_ACTIVITY)
    if isinstance(last, int | float):
        if now - last > idle_limit_seconds():
            return False
        if now - last < ACTIVITY_RESOLUTION_SECONDS:
            return True
    session[LAST_ACTIVITY] = now
    return True


def idle_sign_out_message() -> str:
    idle = minutes(int(settings.HEARD_SESSION_IDLE_MINUTES))
    return f"You were signed out after {idle} without activity. Sign in again to carry on."


# -- Two-step verification ------------------------------------------------------------------


class SecondFactor(enum.Enum):
    """What a signed-in person must still do before staff pages open to them."""

    SATISFIED = "satisfied"
    MUST_ENTER_CODE = "must enter a code"
    MUST_SET_UP = "must set up an authenticator app"


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor(user: Any, session: SessionBase) -> SecondFactor:
    """Whether this session still needs a code, or an authenticator app set up first."""
    if session.get(SIGNED_IN_WITH) == SINGLE_SIGN_ON:
        return SecondFactor.SATISFIED
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return SecondFactor.SATISFIED
    if has_authenticator(user):
        return SecondFactor.MUST_ENTER_CODE
    if settings.HEARD_REQUIRE_2FA:
        return SecondFactor.MUST_SET_UP
    return SecondFactor.SATISFIED


def authenticator_being_set_up(user: Any) -> TOTPDevice:
    """The person's new, unconfirmed authenticator: the same key until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_code(device: TOTPDevice) -> str:
    """The device's set-up link as an SVG QR code in a data: URL (the CSP allows those)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#0b0c0c"))


def readable_key(device: TOTPDevice) -> str:
    """The secret key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def _code_refusal(device: TOTPDevice, code: str) -> str | None:
    """Check ``code`` against ``device`` (counting a wrong one); the reason it was refused, if it was."""
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        locked_until = (detail or {}).get("locked_until")
        wait = (
            max(math.ceil((locked_until - timezone.now()).total_seconds()), 1)
            if locked_until
            else 1
        )
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        return (
            f"You entered wrong codes too many times. Wait {seconds}, "
            "then enter the code your app shows."
        )
    if not device.verify_token(code):
        return (
            "The code is not right, or it has been used already. "
            "Enter the 6-digit code your app shows now."
        )
    return None


def confirm_authenticator(*, user: Any, code: str) -> TOTPDevice:
    """Turn on the authenticator being set up, once it gives a right code; it replaces any other."""
    with transaction.atomic(durable=True):
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            refusal: str | None = "Start again: scan the new QR code, then enter the code it gives."
        else:
            refusal = _code_refusal(device, code)
            if refusal is None:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    # Refused outside the transaction, so a wrong code still counts towards the throttle.
    if refusal is not None or device is None:
        raise InvalidInput(refusal or "", field="code")
    return device


def check_code(*, user: Any, code: str) -> TOTPDevice:
    """The person's authenticator, if ``code`` is a right and unused code from it."""
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            refusal: str | None = (
                "You have no authenticator app set up. Sign out and sign in again."
            )
        else:
            refusal = _code_refusal(device, code)
    if refusal is not None or device is None:
        raise InvalidInput(refusal or "", field="code")
    return device


def turn_off_two_step_verification(*, user: Any, code: str) -> None:
    """Remove the person's authenticator, once they show they still have it."""
    if settings.HEARD_REQUIRE_2FA:
        raise NotPermitted(
            "Your organisation requires two-step verification, so you cannot turn it off. "
            "You can set up a new authenticator app instead."
        )
    check_code(user=user, code=code)
    TOTPDevice.objects.filter(user=user).delete()


# -- Single sign-on (OpenID Connect) --------------------------------------------------------


# What single sign-on cannot work without: the environment variable, and the setting it fills.
SINGLE_SIGN_ON_NEEDS = {
    "HEARD_OIDC_CLIENT_SECRET": "OIDC_RP_CLIENT_SECRET",
    "HEARD_OIDC_ISSUER": "HEARD_OIDC_ISSUER",
    "HEARD_OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "HEARD_OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "HEARD_OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
}


def missing_single_sign_on_settings() -> list[str]:
    """The environment variables single sign-on still needs, once HEARD_OIDC_CLIENT_ID is set."""
    if not settings.HEARD_OIDC_CLIENT_ID:
        return []
    return [
        variable
        for variable, setting in SINGLE_SIGN_ON_NEEDS.items()
        if not getattr(settings, setting, None)
    ]


def single_sign_on_enabled() -> bool:
    """On when HEARD_OIDC_CLIENT_ID is set, and only if the rest is too (``heard check`` says
    what is missing): half-configured single sign-on must not stop password sign-in."""
    return bool(settings.HEARD_OIDC_CLIENT_ID) and not missing_single_sign_on_settings()


def parse_role_map(text: str) -> dict[str, frozenset[Role]]:
    """``"Complaints team = complaints_team; Heard admins = administrator, complaints_team"``.

    Entries are separated by ``;`` or new lines; group names are matched ignoring case.
    """
    mapping: dict[str, frozenset[Role]] = {}
    for entry in re.split(r"[;\n]", text):
        if not entry.strip():
            continue
        group, separator, roles = entry.rpartition("=")
        if not separator or not group.strip() or not roles.strip():
            raise InvalidInput(
                f"'{entry.strip()}' in HEARD_OIDC_ROLE_MAP is not 'group = role'. "
                "Separate entries with ';'.",
                field="HEARD_OIDC_ROLE_MAP",
            )
        try:
            parsed = frozenset(
                parse_role(role.strip()) for role in roles.split(",") if role.strip()
            )
        except InvalidInput as error:
            raise InvalidInput(
                f"HEARD_OIDC_ROLE_MAP: {error.message}", field="HEARD_OIDC_ROLE_MAP"
            ) from error
        key = group.strip().casefold()
        mapping[key] = mapping.get(key, frozenset()) | parsed
    return mapping


def groups_in(claims: Mapping[str, Any]) -> list[str]:
    value = claims.get(settings.HEARD_OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [group for group in value if isinstance(group, str)]
    return []


def roles_for_groups(
    groups: Iterable[str], role_map: Mapping[str, frozenset[Role]]
) -> frozenset[Role]:
    """The Heard roles the groups map to; a group with no entry gives none."""
    roles: frozenset[Role] = frozenset()
    for group in groups:
        roles |= role_map.get(group.casefold(), frozenset())
    return roles


def check_id_token(payload: Mapping[str, Any], *, issuer: str, client_id: str) -> None:
    """Refuse an ID token that was not issued by our provider for Heard (OIDC Core 3.1.3.7)."""
    if payload.get("iss") != issuer:
        raise InvalidInput("The ID token was issued by another provider.")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise InvalidInput("The ID token was issued for another application.")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise InvalidInput("The ID token was issued for another application.")
    if "exp" not in payload:
        raise InvalidInput("The ID token has no expiry.")


def sign_in_from_identity_provider(claims: Mapping[str, Any], *, issuer: str) -> Any:
    """The Heard user for verified claims, found by issuer and subject, linked or created.

    Names and email address come from the claims. When HEARD_OIDC_ROLE_MAP is set the
    provider decides roles: the user holds exactly the roles their groups map to (none if
    none do). Without a map, roles are managed in Heard and a new user has none.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidInput("The identity provider sent no subject (sub) for this person.")
    role_map = parse_role_map(settings.HEARD_OIDC_ROLE_MAP)
    with transaction.atomic(durable=True):
        identity = (
            SingleSignOnIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            user = _account_to_link(claims, issuer) or _new_account(claims, issuer, subject)
            identity = SingleSignOnIdentity.objects.create(
                user=user, issuer=issuer, subject=subject
            )
        user = identity.user
        _update_profile(user, claims)
        if role_map:
            set_roles(user, roles_for_groups(groups_in(claims), role_map))
        identity.last_signed_in_at = timezone.now()
        identity.save(update_fields=["last_signed_in_at"])
    return user


def set_roles(user: Any, roles: Iterable[Role]) -> None:
    """Give ``user`` exactly ``roles``; administrators reach the admin screens, others do not."""
    wanted = {Role(role) for role in roles}
    RoleAssignment.objects.filter(user=user).exclude(role__in=wanted).delete()
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role) for role in sorted(wanted) if role not in held
    )
    is_staff = Role.ADMINISTRATOR in wanted or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    for attribute in ("_heard_roles", "_heard_service_ids"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def _account_to_link(claims: Mapping[str, Any], issuer: str) -> Any | None:
    """An account made in Heard before single sign-on, if the provider vouches for its email.

    Only a verified address is trusted (an unverified one could be anyone's), and only an
    account not yet linked to someone at this provider.
    """
    email = claims.get("email")
    if claims.get("email_verified") not in (True, "true") or not isinstance(email, str):
        return None
    candidates = list(get_user_model().objects.filter(email__iexact=email.strip())[:2])
    if len(candidates) != 1:
        return None
    user = candidates[0]
    if user.single_sign_on_identities.filter(issuer=issuer).exists():
        return None
    return user


def _new_account(claims: Mapping[str, Any], issuer: str, subject: str) -> Any:
    user_model = get_user_model()
    base = ""
    for name in (settings.HEARD_OIDC_USERNAME_CLAIM, "email", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            base = value.strip()
            break
    username = base[:150]
    if user_model.objects.filter(username__iexact=username).exists():
        digest = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:8]
        username = f"{base[:141]}-{digest}"
    email = claims.get("email")
    return user_model.objects.create_user(
        username, email=email.strip()[:254] if isinstance(email, str) else ""
    )


def _update_profile(user: Any, claims: Mapping[str, Any]) -> None:
    changed = []
    for field, claim, length in (
        ("first_name", "given_name", 150),
        ("last_name", "family_name", 150),
        ("email", "email", 254),
    ):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip()[:length] != getattr(user, field):
            setattr(user, field, value.strip()[:length])
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
