"""Who may see the audit of reads and act on personal data (subject access, erasure, retention).

Information governance officers (the role), administrators, and anyone in the
"Information governance" group (created by this app's migration) or otherwise holding the
``privacy.see_read_audit`` permission.
"""

from __future__ import annotations

from typing import Any

from heard.core.errors import NotPermitted
from heard.org.access import roles_of
from heard.org.models import Role

GROUP_NAME = "Information governance"
PERMISSION = "privacy.see_read_audit"


def is_information_governance(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_of(user)
    if roles & {Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE}:
        return True
    return bool(user.has_perm(PERMISSION))


def require_information_governance(user: Any) -> None:
    if not is_information_governance(user):
        raise NotPermitted(
            "Only information governance officers and administrators may do this. Ask an "
            f"administrator to add you to the “{GROUP_NAME}” group."
        )
