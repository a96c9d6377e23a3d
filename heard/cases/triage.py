"""Triage at the first point of contact (seed 001): record, classify, then resolve or route.

An officer takes a call, an email, a letter or a visit; records who and what; says what
kind of contact it is; and either resolves it there and then, allocates it, or leaves it
in the triage queue for the complaints team. A routing rule sends named categories (seed
002: social care) to their own statutory procedure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heard.cases import services
from heard.cases.models import Case, Kind, Outcome, RoutingRule
from heard.cases.services import CustomerDetails
from heard.core.errors import InvalidInput
from heard.org import access
from heard.org.access import Permission
from heard.org.models import Service, ServiceRequestCategory

# What a contact may be classified as at triage.
TRIAGE_KINDS = (
    Kind.COMPLAINT,
    Kind.SERVICE_REQUEST,
    Kind.DISSATISFACTION,
    Kind.COMPLIMENT,
    Kind.COMMENT,
    Kind.SUGGESTION,
    Kind.ENQUIRY,
    Kind.MEMBER_ENQUIRY,
    Kind.MP_ENQUIRY,
)


class Next(enum.StrEnum):
    RESOLVE = "resolve"
    ALLOCATE = "allocate"
    TRIAGE = "triage"


@dataclass(frozen=True)
class Contact:
    kind: str
    channel: str
    subject: str
    description: str
    customer: CustomerDetails
    service: Service | None = None
    category: ServiceRequestCategory | None = None
    routing_rule: RoutingRule | None = None
    representative: CustomerDetails | None = None
    representative_role: str = ""
    # When it reached us (a letter's date received); None: now. The deadlines run from it.
    received_at: datetime | None = None


def record(
    contact: Contact,
    *,
    by: Any,
    then: str = Next.TRIAGE,
    officer: Any | None = None,
    resolution: str = "",
) -> Case:
    """Record the contact, then resolve it at first contact, allocate it, or leave it in triage.

    Everything that could refuse the whole is checked before anything is written.
    """
    if then not in Next.__members__.values():
        raise InvalidInput("Choose what happens next.", field="then")
    if contact.kind not in TRIAGE_KINDS:
        raise InvalidInput("Choose what kind of contact this is.", field="kind")
    procedure = None
    service = contact.service
    rule = contact.routing_rule
    if rule is not None:
        if not rule.active:
            raise InvalidInput(
                f"The routing rule '{rule}' is no longer in use.", field="routing_rule"
            )
        if not rule.applies_to(contact.kind):
            raise InvalidInput(
                f"'{rule}' applies to {', '.join(Kind(k).label.lower() for k in rule.kinds or [Kind.COMPLAINT])} only.",
                field="routing_rule",
            )
        procedure = rule.procedure.slug
        service = service or rule.service
    if then == Next.RESOLVE:
        if not resolution.strip():
            raise InvalidInput(
                "Say how the contact was resolved, in words the customer would recognise.",
                field="resolution",
            )
        access.require(by, Permission.RESPOND)
        if contact.kind in (Kind.MEMBER_ENQUIRY, Kind.MP_ENQUIRY):
            raise InvalidInput(
                "Member and MP enquiries are answered in writing: allocate it instead.",
                field="then",
            )
    if then == Next.ALLOCATE:
        access.require(by, Permission.ALLOCATE)
        if officer is None and service is None:
            raise InvalidInput("Choose the service or officer to allocate it to.", field="service")
    representative = contact.representative
    role = contact.representative_role
    if contact.kind in (Kind.MEMBER_ENQUIRY, Kind.MP_ENQUIRY):
        if representative is None or not representative.name.strip():
            raise InvalidInput(
                "Enter the name of the councillor or MP who made the enquiry.",
                field="representative_name",
            )
        role = role or ("mp" if contact.kind == Kind.MP_ENQUIRY else "elected_member")
    elif representative is not None and not representative.name.strip():
        representative, role = None, ""

    case = services.create_case(
        by=by,
        kind=contact.kind,
        channel=contact.channel,
        subject=contact.subject,
        description=contact.description,
        customer=contact.customer,
        procedure=procedure,
        service=service,
        category=contact.category if contact.kind == Kind.SERVICE_REQUEST else None,
        representative=representative,
        representative_role=role if representative else "",
        received_at=contact.received_at,
    )
    if then == Next.RESOLVE:
        case = services.respond(
            case,
            by=by,
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            summary=resolution,
        )
        case = (
            services.close(case, by=by, note="Resolved at first contact.")
            if access.may(by, Permission.CLOSE)
            else case
        )
    elif then == Next.ALLOCATE and officer is not None:
        case = services.allocate(case, by=by, officer=officer)
    return case
