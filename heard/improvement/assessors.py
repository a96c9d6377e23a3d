"""External assessors: read-only access to one self-assessment until an expiry date.

An assessor's account holds no Heard role; what it may do is decided here, and nowhere else:

* while the access is live (not revoked, expiry date not passed), the assessment's page, its
  elements, the printable portfolio, its CSV and its documents, read only;
* its own account pages (signing in and out, two-step verification);
* nothing else: every other staff page, the admin and the API answer 403, and after the expiry
  date so does the assessment.

:class:`heard.improvement.middleware.ExternalAssessorMiddleware` applies the boundary to every
request and records each one (let in or refused) as an :class:`AssessorView`.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput, TransitionNotAllowed
from heard.improvement import access
from heard.improvement.models import Assessment, AssessorAccess, AssessorView
from heard.org.access import roles_of

USERNAME = re.compile(r"[A-Za-z0-9._-]{1,150}")
# Access is for the visit and its follow-up, not open-ended.
LONGEST = timedelta(days=366)

# The pages a live assessor may open (URL names), each about the granted assessment.
ASSESSMENT_PAGES = frozenset(
    {
        "improvement:assessment",
        "improvement:assessment-element",
        "improvement:assessment-export",
        "improvement:assessment-csv",
        "improvement:evidence-file",
        "improvement:portfolio",
        "improvement:portfolio-download",
    }
)
# Pages about the account itself, open whatever the state of the access.
ACCOUNT_NAMESPACE = "accounts"


def access_of(user: Any) -> AssessorAccess | None:
    """The assessor access that bounds this person, or None if they are not an assessor.

    Someone who holds a Heard role (or is a superuser) is staff, whatever else they hold.
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser or roles_of(user):
        return None
    if not hasattr(user, "_heard_assessor_access"):
        user._heard_assessor_access = (
            AssessorAccess.objects.select_related("assessment").filter(user=user).first()
        )
    found: AssessorAccess | None = user._heard_assessor_access
    return found


def is_live(grant: AssessorAccess, *, today: date) -> bool:
    return grant.revoked_at is None and today <= grant.expires_on


def live_assessment_id(user: Any, *, today: date) -> int | None:
    """The one assessment this assessor may see today, if any."""
    grant = access_of(user)
    if grant is None or not is_live(grant, today=today):
        return None
    return grant.assessment_id


def may_open(grant: AssessorAccess, *, route: str, kwargs: dict[str, Any], today: date) -> bool:
    """Whether an assessor holding ``grant`` may open the page named ``route``."""
    if route.split(":", 1)[0] == ACCOUNT_NAMESPACE:
        return True
    if route not in ASSESSMENT_PAGES or not is_live(grant, today=today):
        return False
    return str(kwargs.get("pk")) == str(grant.assessment_id)


def record_view(
    grant: AssessorAccess, *, method: str, path: str, route: str, status_code: int
) -> AssessorView:
    return AssessorView.objects.create(
        at=timezone.now(),
        user=grant.user,
        username=grant.user.get_username()[:150],
        assessment_id=grant.assessment_id,
        method=method[:10],
        path=path[:500],
        route=route[:200],
        status_code=status_code,
    )


def _check_expiry(expires_on: date | None, *, today: date) -> date:
    if expires_on is None:
        raise InvalidInput(
            "Enter the last day of access, for example 30 9 2026.", field="expires_on"
        )
    if expires_on < today:
        raise InvalidInput("The last day of access must be today or later.", field="expires_on")
    if expires_on > today + LONGEST:
        raise InvalidInput(
            "Access for an external assessor lasts at most a year; choose an earlier last day.",
            field="expires_on",
        )
    return expires_on


def _grant(
    assessment: Assessment, user: Any, *, by: Any, expires_on: date, today: date
) -> AssessorAccess:
    if roles_of(user) or user.is_superuser:
        raise InvalidInput(
            f"{user.get_username()} is a member of staff with a Heard role, and already sees "
            "the self-assessment. Give access to the assessor's own account.",
            field="username",
        )
    existing = AssessorAccess.objects.select_for_update().filter(user=user).first()
    if (
        existing is not None
        and existing.assessment_id != assessment.pk
        and is_live(existing, today=today)
    ):
        raise InvalidInput(
            f"{user.get_username()} can see “{existing.assessment}” until "
            f"{existing.expires_on:%d/%m/%Y}. An assessor sees one assessment: end that access "
            "first.",
            field="username",
        )
    grant = existing or AssessorAccess(user=user)
    grant.assessment = assessment
    grant.expires_on = expires_on
    grant.granted_at = timezone.now()
    grant.granted_by = by
    grant.revoked_at = None
    grant.revoked_by = None
    grant.save()
    return grant


@transaction.atomic(durable=True)
def grant_access(
    assessment: Assessment, *, by: Any, username: str, expires_on: date | None, today: date
) -> AssessorAccess:
    """Let an existing account (holding no Heard role) see this one assessment until a date."""
    access.require_edit(by)
    expires_on = _check_expiry(expires_on, today=today)
    username = (username or "").strip()
    if not username:
        raise InvalidInput("Enter the assessor's username.", field="username")
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise InvalidInput(
            f"There is no active account called {username}. Check the spelling, or create an "
            "account for the assessor below.",
            field="username",
        )
    return _grant(assessment, user, by=by, expires_on=expires_on, today=today)


@transaction.atomic(durable=True)
def create_assessor(
    assessment: Assessment,
    *,
    by: Any,
    username: str,
    full_name: str,
    email: str,
    expires_on: date | None,
    today: date,
) -> tuple[AssessorAccess, str]:
    """Create the assessor's account with a one-off password, and grant it access.

    Returns the access and the password, which is shown once and never kept in the clear.
    """
    access.require_edit(by)
    expires_on = _check_expiry(expires_on, today=today)
    username = (username or "").strip()
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip()
    if not full_name:
        raise InvalidInput("Enter the assessor's full name.", field="full_name")
    if "@" not in email or len(email) > 254:
        raise InvalidInput(
            "Enter the assessor's email address, like name@example.org.", field="email"
        )
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "Enter a username of letters, numbers, full stops, hyphens or underscores.",
            field="username",
        )
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(
            f"There is already an account called {username}: give it access above, or choose "
            "another username.",
            field="username",
        )
    first, _, last = full_name.partition(" ")
    password = secrets.token_urlsafe(15)
    user = User.objects.create_user(
        username, email=email, password=password, first_name=first[:150], last_name=last[:150]
    )
    return _grant(assessment, user, by=by, expires_on=expires_on, today=today), password


@transaction.atomic(durable=True)
def revoke_access(grant: AssessorAccess, *, by: Any) -> AssessorAccess:
    """End an assessor's access now (the record of what they saw is kept)."""
    access.require_edit(by)
    grant = AssessorAccess.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise TransitionNotAllowed("That access has already been ended.")
    grant.revoked_at = timezone.now()
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant
