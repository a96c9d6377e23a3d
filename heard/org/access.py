"""Who may see and do what: the one place role and service rules live.

The API, the staff screens and every later capability ask here; nothing else decides.

* The complaints team, administrators and performance officers see every case.
* Front-line officers, investigating officers and heads of service see the cases of the
  services they belong to, and any case allocated to them; front-line officers also see
  the contacts they logged themselves.
* Panel members see the cases whose current stage is handled by the panel.
* Equality officers see no individual case (equality data is for them in aggregate only).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from heard.core.errors import NotFound, NotPermitted
from heard.org.models import Role

if TYPE_CHECKING:
    from heard.cases.models import Case


class Permission(enum.StrEnum):
    CREATE_CASE = "create a case"
    ACKNOWLEDGE = "acknowledge a case"
    ALLOCATE = "allocate a case"
    EXTEND = "extend a deadline"
    RESPOND = "respond to a case"
    ESCALATE = "escalate a case"
    CLOSE = "close a case"
    REOPEN = "reopen a case"
    LINK = "link cases"
    NOTE = "add a note to a case"
    ADD_ATTACHMENT = "add a file to a case"
    RESTRICT_CUSTOMER = "restrict a customer's contact"
    MERGE_CUSTOMERS = "merge duplicate customer records"
    CHANGE_ORGANISATION = "change the organisation's settings"
    CHANGE_PROCEDURES = "change procedures"


R = Role
GRANTS: dict[Permission, frozenset[str]] = {
    Permission.CREATE_CASE: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.ADMINISTRATOR,
        }
    ),
    Permission.ACKNOWLEDGE: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.ADMINISTRATOR,
        }
    ),
    Permission.ALLOCATE: frozenset({R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}),
    Permission.EXTEND: frozenset(
        {R.COMPLAINTS_TEAM, R.INVESTIGATING_OFFICER, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}
    ),
    Permission.RESPOND: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.PANEL_MEMBER,
            R.ADMINISTRATOR,
        }
    ),
    Permission.ESCALATE: frozenset(
        {R.FRONT_LINE_OFFICER, R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}
    ),
    Permission.CLOSE: frozenset(
        {R.COMPLAINTS_TEAM, R.INVESTIGATING_OFFICER, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}
    ),
    Permission.REOPEN: frozenset({R.COMPLAINTS_TEAM, R.ADMINISTRATOR}),
    Permission.LINK: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.ADMINISTRATOR,
        }
    ),
    Permission.NOTE: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.PANEL_MEMBER,
            R.ADMINISTRATOR,
        }
    ),
    Permission.ADD_ATTACHMENT: frozenset(
        {
            R.FRONT_LINE_OFFICER,
            R.COMPLAINTS_TEAM,
            R.INVESTIGATING_OFFICER,
            R.HEAD_OF_SERVICE,
            R.PANEL_MEMBER,
            R.ADMINISTRATOR,
        }
    ),
    # Seed 001's unreasonable-behaviour policy: decided centrally or by the head of service.
    Permission.RESTRICT_CUSTOMER: frozenset(
        {R.COMPLAINTS_TEAM, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}
    ),
    Permission.MERGE_CUSTOMERS: frozenset({R.COMPLAINTS_TEAM, R.ADMINISTRATOR}),
    Permission.CHANGE_ORGANISATION: frozenset({R.ADMINISTRATOR}),
    Permission.CHANGE_PROCEDURES: frozenset({R.ADMINISTRATOR}),
}

SEE_ALL_CASES = frozenset({R.COMPLAINTS_TEAM, R.ADMINISTRATOR, R.PERFORMANCE_OFFICER})
SEE_SERVICE_CASES = frozenset({R.FRONT_LINE_OFFICER, R.INVESTIGATING_OFFICER, R.HEAD_OF_SERVICE})
# Who may answer a stage beyond its own handler role.
ANSWER_ANY_STAGE = frozenset({R.COMPLAINTS_TEAM, R.ADMINISTRATOR})
ANSWERS_FOR: dict[str, frozenset[str]] = {
    R.HEAD_OF_SERVICE: frozenset({R.INVESTIGATING_OFFICER, R.FRONT_LINE_OFFICER})
}


def roles_of(user: Any) -> frozenset[str]:
    """The user's roles (a superuser holds every role). Cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_heard_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role.values)
        else:
            cached = frozenset(user.roles.values_list("role", flat=True))
        user._heard_roles = cached
    return cached


def service_ids_of(user: Any) -> frozenset[int]:
    cached = getattr(user, "_heard_service_ids", None)
    if cached is None:
        cached = frozenset(user.service_memberships.values_list("service_id", flat=True))
        user._heard_service_ids = cached
    return cached


def may(user: Any, permission: Permission) -> bool:
    return bool(roles_of(user) & GRANTS[permission])


def require(user: Any, permission: Permission) -> None:
    """Refuse with a message naming the roles that may, unless the user holds one of them."""
    if not may(user, permission):
        allowed = sorted(Role(r).label.lower() for r in GRANTS[permission])
        raise NotPermitted(f"Only a {_or_list(allowed)} may {permission}.")


def require_may_respond(user: Any, case: Case, outcome: str = "") -> None:
    """A stage is answered by its handler role, by someone senior to it, or centrally.

    A front-line officer may also resolve any contact at first contact (stage 1).
    """
    require(user, Permission.RESPOND)
    roles = roles_of(user)
    handler = case.stage.handler_role
    if roles & ANSWER_ANY_STAGE or handler in roles:
        return
    first_contact = outcome == "resolved_at_first_contact" and case.stage_number == 1
    if first_contact and R.FRONT_LINE_OFFICER in roles:
        return
    if any(handler in ANSWERS_FOR.get(role, frozenset()) for role in roles):
        return
    raise NotPermitted(
        f"Stage {case.stage_number} ({case.stage.name}) is answered by a "
        f"{Role(handler).label.lower()} or the complaints team."
    )


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case the user may see."""
    from heard.cases.models import Case

    roles = roles_of(user)
    cases = Case.objects.all()
    if roles & SEE_ALL_CASES:
        return cases
    allowed = Q(pk__in=[])
    if roles & SEE_SERVICE_CASES:
        allowed |= Q(service_id__in=service_ids_of(user)) | Q(assigned_officer_id=user.pk)
    if R.FRONT_LINE_OFFICER in roles:
        allowed |= Q(created_by_id=user.pk)
    if R.PANEL_MEMBER in roles:
        allowed |= Q(stage__handler_role=R.PANEL_MEMBER)
    return cases.filter(allowed)


def access_case(user: Any, reference: str, *, for_update: bool = False) -> Case:
    """The case with this reference if the user may see it; otherwise NotFound."""
    cases = visible_cases(user).select_related(
        "stage",
        "procedure_version__procedure",
        "customer",
        "representative",
        "service",
        "assigned_officer",
    )
    if for_update:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFound(f"There is no case {reference} that you can see.")
    return case


def case_exists(reference: str) -> bool:
    """Whether a case with this reference exists at all (to tell 'not yours' from 'no such case')."""
    from heard.cases.models import Case

    return Case.objects.filter(reference=reference.strip().upper()).exists()


def visible_customers(user: Any) -> QuerySet[Any]:
    """Customers the user may see: those with (or represented in) a case the user may see."""
    from heard.cases.models import Customer

    cases = visible_cases(user)
    if roles_of(user) & SEE_ALL_CASES:
        return Customer.objects.all()
    return Customer.objects.filter(
        Q(pk__in=cases.values("customer_id")) | Q(pk__in=cases.values("representative_id"))
    )


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
