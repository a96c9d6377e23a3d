"""The audit of reads of personal data: recording them, and finding them again.

Call :func:`record_read` from every screen or route that shows a customer's personal data.
It never refuses and never fails the page it is called from because of what it is given.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from heard.cases.models import Case, Customer
from heard.privacy.models import PersonalDataRead


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting as many proxies as sign-in does."""
    proxies = getattr(settings, "HEARD_SIGNIN_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)[:200]
    return request.path[:200]


def record_read(
    request: HttpRequest,
    *,
    case: Case | None = None,
    customer: Customer | None = None,
    what: str,
) -> PersonalDataRead:
    """Record that the signed-in person read ``what`` of a case's or customer's personal data."""
    return PersonalDataRead.objects.create(
        **_fields(request, case=case, customer=customer, what=what)
    )


def record_reads(request: HttpRequest, *, cases: Iterable[Case], what: str) -> int:
    """Record one read per case (a list of cases showing each one's customer)."""
    rows = [PersonalDataRead(**_fields(request, case=case, what=what)) for case in cases]
    PersonalDataRead.objects.bulk_create(rows)
    return len(rows)


def _fields(
    request: HttpRequest, *, case: Case | None = None, customer: Customer | None = None, what: str
) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    customer_id: int | None = None
    if customer is not None:
        customer_id = customer.pk
    elif case is not None:
        customer_id = case.customer_id
    return {
        "at": timezone.now(),
        "user": user if authenticated else None,
        "username": (user.get_username() if authenticated else "")[:150],  # type: ignore[union-attr]
        "case": case,
        "case_reference": case.reference if case is not None else "",
        "customer_id": customer_id,
        "customer_number": customer_id,
        "what": what[:200],
        "route": route_of(request),
        "method": request.method or "GET",
        "path": request.get_full_path()[:500],
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


@dataclass(frozen=True)
class ReadFilters:
    person: str = ""
    case_reference: str = ""
    customer_number: int | None = None
    from_date: date | None = None
    to_date: date | None = None


def reads(filters: ReadFilters) -> QuerySet[PersonalDataRead]:
    """Reads matching the filters, newest first. Dates are whole days in the server's zone."""
    found = PersonalDataRead.objects.all()
    if filters.person:
        found = found.filter(username__iexact=filters.person.strip())
    if filters.case_reference:
        found = found.filter(case_reference__iexact=filters.case_reference.strip())
    if filters.customer_number is not None:
        found = found.filter(customer_number=filters.customer_number)
    if filters.from_date:
        found = found.filter(at__gte=_midnight(filters.from_date))
    if filters.to_date:
        found = found.filter(at__lt=_midnight(filters.to_date + timedelta(days=1)))
    return found.order_by("-at", "-id")


def reads_about(customer_ids: Iterable[int], case_ids: Iterable[int]) -> QuerySet[PersonalDataRead]:
    """Every recorded read of these customers or these cases (for subject access)."""
    return PersonalDataRead.objects.filter(
        Q(customer_number__in=list(customer_ids)) | Q(case_id__in=list(case_ids))
    ).order_by("at", "id")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
