"""Customers: their records, duplicates and merging, and unreasonable-behaviour restrictions.

Seed 001 asks for a policy on unreasonably persistent or vexatious complainants. A
restriction is proportionate and reviewed: it says what is restricted (a single point of
contact, certain channels, how often contact is answered), why, from when, who decided,
and when it will be reviewed. It never shuts the customer out of the complaints procedure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.cases.models import Case, CaseEvent, Customer, CustomerRestriction, RestrictionKind
from heard.core.errors import InvalidInput, NotFound, NotPermitted
from heard.org import access
from heard.org.access import Permission

TEXT_MAX = 20_000


def customer_for(user: Any, customer_id: int) -> Customer:
    """The customer if the user may see one of their cases; NotFound otherwise."""
    customer = access.visible_customers(user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("There is no customer record that you can see with that number.")
    return customer


def cases_of(user: Any, customer: Customer) -> QuerySet[Case]:
    """The customer's cases, as customer or as representative, that the user may see."""
    return (
        access.visible_cases(user)
        .filter(Q(customer=customer) | Q(representative=customer))
        .select_related("stage", "service", "assigned_officer", "customer", "representative")
        .order_by("-received_at")
    )


def active_restrictions(customer_ids: list[int], *, today: date | None = None) -> list[Any]:
    """Restrictions in force for any of these customers (shown as a banner on their cases)."""
    if not customer_ids:
        return []
    return list(
        CustomerRestriction.objects.filter(
            customer_id__in=customer_ids, ended_at__isnull=True
        ).select_related("set_by", "customer")
    )


def restrictions_due_for_review(user: Any, *, today: date) -> QuerySet[CustomerRestriction]:
    """Restrictions whose review date has come, for the people who may review them."""
    if not access.may(user, Permission.RESTRICT_CUSTOMER):
        return CustomerRestriction.objects.none()
    return (
        CustomerRestriction.objects.filter(ended_at__isnull=True, review_on__lte=today)
        .filter(customer__in=access.visible_customers(user))
        .select_related("customer")
        .order_by("review_on")
    )


# -- duplicates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PossibleDuplicate:
    customer: Customer
    reasons: tuple[str, ...]


def possible_duplicates(user: Any, customer: Customer) -> list[PossibleDuplicate]:
    """Other customer records that look like the same person, each with why it matched."""
    rules: list[tuple[str, Q]] = []
    if customer.email:
        rules.append(("same email address", Q(email__iexact=customer.email)))
    if customer.phone_digits and len(customer.phone_digits) >= 7:
        rules.append(("same phone number", Q(phone_digits=customer.phone_digits)))
    if customer.postcode and customer.name.strip():
        rules.append(
            (
                "same name and postcode",
                Q(postcode=customer.postcode, name__iexact=customer.name.strip()),
            )
        )
    if not rules:
        return []
    matches: dict[int, tuple[Customer, list[str]]] = {}
    candidates = access.visible_customers(user).exclude(pk=customer.pk).filter(merged_into=None)
    for reason, condition in rules:
        for other in candidates.filter(condition)[:20]:
            matches.setdefault(other.pk, (other, []))[1].append(reason)
    return [PossibleDuplicate(other, tuple(reasons)) for other, reasons in matches.values()]


@transaction.atomic(durable=True)
def merge(*, by: Any, keep: Customer, duplicate: Customer) -> Customer:
    """Move everything of ``duplicate`` onto ``keep``; the duplicate stays, marked as merged."""
    access.require(by, Permission.MERGE_CUSTOMERS)
    if keep.pk == duplicate.pk:
        raise InvalidInput("Choose two different customer records to merge.", field="duplicate")
    keep = Customer.objects.select_for_update().get(pk=keep.pk)
    duplicate = Customer.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id is not None:
        raise InvalidInput(f"{duplicate} has already been merged.", field="duplicate")
    if keep.merged_into_id is not None:
        raise InvalidInput(
            f"{keep} was itself merged into another record; merge into that one instead.",
            field="keep",
        )
    now = timezone.now()
    moved = list(
        Case.objects.filter(Q(customer=duplicate) | Q(representative=duplicate)).only(
            "id", "reference", "customer_id", "representative_id"
        )
    )
    # Their cases take the kept record's email key; if saving it below changes its address
    # (it had none), save() re-keys all its cases.
    Case.objects.filter(customer=duplicate).update(customer=keep, customer_key=keep.email_key)
    Case.objects.filter(representative=duplicate).update(representative=keep)
    CustomerRestriction.objects.filter(customer=duplicate).update(customer=keep)
    for field in ("email", "phone", "address", "access_language", "adjustments"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep.access_formats = sorted({*keep.access_formats, *duplicate.access_formats})
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            action="customer_merged",
            at=now,
            actor=by,
            summary=f"Customer record {duplicate.pk} merged into {keep.pk} ({keep.name}).",
            before={"customer": duplicate.pk},
            after={"customer": keep.pk},
        )
        for case in moved
    )
    return keep


# -- restrictions --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def restrict(
    *,
    by: Any,
    customer: Customer,
    kind: str,
    details: str,
    reason: str,
    review_on: date | None,
    today: date,
) -> CustomerRestriction:
    """Record a restriction on how a customer may contact the organisation, and when to review it."""
    access.require(by, Permission.RESTRICT_CUSTOMER)
    if kind not in RestrictionKind.values:
        raise InvalidInput("Choose what is restricted.", field="kind")
    details = _text(details, "details", "Say exactly what is restricted.")
    reason = _text(reason, "reason", "Give the reason for the restriction.")
    if review_on is None:
        raise InvalidInput("Enter the date the restriction will be reviewed.", field="review_on")
    if review_on <= today:
        raise InvalidInput("The review date must be in the future.", field="review_on")
    if (review_on - today).days > 366:
        raise InvalidInput(
            "Review a restriction at least once a year: choose a date within 12 months.",
            field="review_on",
        )
    restriction = CustomerRestriction.objects.create(
        customer=customer,
        kind=kind,
        details=details,
        reason=reason,
        review_on=review_on,
        set_by=by,
    )
    _log_on_cases(
        customer,
        by,
        "customer_restricted",
        f"Contact restricted: {restriction.get_kind_display()} (review {review_on:%d %B %Y}).",
        {"kind": kind, "details": details, "review_on": review_on.isoformat()},
    )
    return restriction


@transaction.atomic(durable=True)
def review_restriction(
    *,
    by: Any,
    restriction: CustomerRestriction,
    decision: str,
    note: str,
    next_review_on: date | None,
    today: date,
) -> CustomerRestriction:
    """The review: keep the restriction to a new review date, or end it."""
    access.require(by, Permission.RESTRICT_CUSTOMER)
    restriction = CustomerRestriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.ended_at is not None:
        raise InvalidInput("This restriction has already ended.", field="decision")
    note = _text(note, "note", "Say what the review found.")
    if decision == "end":
        restriction.ended_at = timezone.now()
        restriction.save(update_fields=["ended_at"])
        summary = f"Restriction ended at review: {note}"
    elif decision == "keep":
        if next_review_on is None or next_review_on <= today:
            raise InvalidInput("Enter the next review date, after today.", field="next_review_on")
        restriction.review_on = next_review_on
        restriction.save(update_fields=["review_on"])
        summary = f"Restriction kept after review until {next_review_on:%d %B %Y}: {note}"
    else:
        raise InvalidInput("Choose whether to keep or end the restriction.", field="decision")
    _log_on_cases(
        restriction.customer,
        by,
        "restriction_reviewed",
        summary,
        {"decision": decision, "note": note},
    )
    return restriction


def _log_on_cases(
    customer: Customer, by: Any, action: str, summary: str, after: dict[str, Any]
) -> None:
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, action=action, at=now, actor=by, summary=summary[:500], after=after)
        for case in Case.objects.filter(customer=customer).only("id")
    )


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"Keep it to {TEXT_MAX:,} characters or fewer.", field=field)
    return text


def require_may_restrict(user: Any) -> None:
    if not access.may(user, Permission.RESTRICT_CUSTOMER):
        raise NotPermitted(
            "Only the complaints team, a head of service or an administrator may restrict "
            "a customer's contact."
        )
