"""Who may see and change the CSE self-assessment, action plans and Bright Ideas.

Roles come from :func:`heard.org.access.roles_of`.

* Editing the framework's priorities and guidance, self-assessments, action plans and progress
  reviews, and deciding on suggestions: the complaints team, performance officers and
  administrators.
* Seeing the self-assessment and action plans: anyone signed in who holds a Heard role.
* Submitting a Bright Idea and following one's own: everyone signed in, except an external
  assessor.
* An external assessor (an account with no Heard role and an assessor access, see
  :mod:`heard.improvement.assessors`) sees the one assessment granted, until its expiry date.
* A head of service records progress on the actions they lead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from heard.core.errors import NotPermitted
from heard.org.access import roles_of
from heard.org.models import Role

EDIT = frozenset({Role.COMPLAINTS_TEAM, Role.PERFORMANCE_OFFICER, Role.ADMINISTRATOR})


def may_edit(user: Any) -> bool:
    return bool(roles_of(user) & EDIT)


def require_edit(user: Any) -> None:
    if not may_edit(user):
        raise NotPermitted(
            "Only the complaints team, a performance officer or an administrator may change "
            "the self-assessment, action plans or decisions on suggestions."
        )


def may_view(user: Any) -> bool:
    return bool(roles_of(user))


def require_view(user: Any) -> None:
    if not may_view(user):
        raise NotPermitted("You need a Heard role to see the self-assessment and action plans.")


def may_view_assessment(user: Any, assessment_id: int, *, today: date) -> bool:
    if may_view(user):
        return True
    from heard.improvement.assessors import live_assessment_id

    return live_assessment_id(user, today=today) == assessment_id


def require_view_assessment(user: Any, assessment_id: int, *, today: date) -> None:
    if not may_view_assessment(user, assessment_id, today=today):
        raise NotPermitted(
            "You need a Heard role, or an external assessor's access to this assessment that "
            "has not ended, to see it."
        )


def may_suggest(user: Any) -> bool:
    from heard.improvement.assessors import access_of

    signed_in = bool(getattr(user, "is_authenticated", False) and user.is_active)
    return signed_in and access_of(user) is None


def may_record_progress(user: Any, action: Any) -> bool:
    """Editors, and a head of service on an action they lead."""
    if may_edit(user):
        return True
    return Role.HEAD_OF_SERVICE in roles_of(user) and action.lead_id == getattr(user, "pk", None)


def require_record_progress(user: Any, action: Any) -> None:
    if not may_record_progress(user, action):
        raise NotPermitted(
            "Only the complaints team, a performance officer, an administrator, or the head of "
            "service who leads this action may record its progress."
        )
