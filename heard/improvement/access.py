"""Who may see and change the CSE self-assessment, action plans and Bright Ideas.

Roles come from :func:`heard.org.access.roles_of`.

* Editing the framework's priorities and guidance, self-assessments, action plans and progress
  reviews, and deciding on suggestions: the complaints team, performance officers and
  administrators.
* Seeing the self-assessment and action plans: anyone signed in who holds a Heard role.
* Submitting a Bright Idea and following one's own: everyone signed in.
"""

from __future__ import annotations

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


def may_suggest(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
