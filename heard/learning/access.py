"""Who may do what in the learning screens. Roles come from :func:`heard.org.access.roles_of`.

* Recording themes on a case: whoever may answer or log cases (and may see the case).
* Early warnings and the lessons register: the complaints team, heads of service, performance
  officers and administrators see them; all but performance officers decide on warnings;
  all of them record lessons.
"""

from __future__ import annotations

from typing import Any

from heard.core.errors import NotPermitted
from heard.org.access import GRANTS, Permission, roles_of
from heard.org.models import Role

VIEW = frozenset(
    {Role.COMPLAINTS_TEAM, Role.HEAD_OF_SERVICE, Role.PERFORMANCE_OFFICER, Role.ADMINISTRATOR}
)
DECIDE_WARNINGS = frozenset({Role.COMPLAINTS_TEAM, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})
EDIT_LESSONS = VIEW
CLASSIFY = GRANTS[Permission.RESPOND] | GRANTS[Permission.CREATE_CASE]
RETRAIN = frozenset({Role.COMPLAINTS_TEAM, Role.ADMINISTRATOR})


def may_view(user: Any) -> bool:
    return bool(roles_of(user) & VIEW)


def require_view(user: Any) -> None:
    if not may_view(user):
        raise NotPermitted(
            "Early warnings and lessons are for the complaints team, heads of service, "
            "performance officers and administrators. Ask one of them if you need to see them."
        )


def require_decide_warnings(user: Any) -> None:
    if not roles_of(user) & DECIDE_WARNINGS:
        raise NotPermitted(
            "Only the complaints team, a head of service or an administrator may acknowledge "
            "or dismiss an early warning."
        )


def require_edit_lessons(user: Any) -> None:
    if not roles_of(user) & EDIT_LESSONS:
        raise NotPermitted(
            "Only the complaints team, a head of service, a performance officer or an "
            "administrator may record lessons."
        )


def require_classify(user: Any) -> None:
    if not roles_of(user) & CLASSIFY:
        raise NotPermitted(
            "Your role does not record themes on cases; ask the officer answering the case."
        )


def require_retrain(user: Any) -> None:
    if not roles_of(user) & RETRAIN:
        raise NotPermitted("Only the complaints team or an administrator may retrain suggestions.")
