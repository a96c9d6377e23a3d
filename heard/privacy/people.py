"""Finding a person, and everything Heard holds about them.

A person may have several customer records: duplicates merged into one keep their own
record (``Customer.merged_into``). Subject access and erasure act on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from heard.cases.models import Case, Customer
from heard.core.errors import InvalidInput, NotFound


def find_customer(text: str) -> Customer:
    """The customer a person means by a customer number, or an email address held by one record."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            "Enter the customer number (from the customer's page) or their email address.",
            field="customer",
        )
    if text.isdigit():
        customer = Customer.objects.filter(pk=int(text)).first()
        if customer is None:
            raise NotFound(
                f"There is no customer number {text}. Check the number on the customer's page.",
                field="customer",
            )
        return customer
    if "@" in text:
        matches = list(Customer.objects.filter(email__iexact=text, merged_into__isnull=True)[:3])
        if not matches:
            raise NotFound(
                "No customer has this email address. Search for them by name and use the "
                "customer number on their page.",
                field="customer",
            )
        if len(matches) > 1:
            numbers = ", ".join(str(c.pk) for c in matches)
            raise InvalidInput(
                f"Several customers have this email address (numbers {numbers}). Check which "
                "is this person and enter their customer number.",
                field="customer",
            )
        return matches[0]
    raise InvalidInput(
        "Enter a customer number (digits only) or an email address.", field="customer"
    )


def records_of(customer: Customer) -> list[Customer]:
    """Every record of the same person: the record kept after merging, and all merged into it."""
    kept = customer
    seen = {kept.pk}
    while kept.merged_into_id is not None and kept.merged_into_id not in seen:
        seen.add(kept.merged_into_id)
        kept = Customer.objects.get(pk=kept.merged_into_id)
    records = [kept]
    frontier = [kept.pk]
    known = {kept.pk}
    while frontier:
        found = list(Customer.objects.filter(merged_into_id__in=frontier).exclude(pk__in=known))
        records.extend(found)
        frontier = [c.pk for c in found]
        known.update(frontier)
    return records


def cases_of(customer_ids: list[int]) -> QuerySet[Case]:
    """Every case in which these records are the customer or the representative."""
    return Case.objects.filter(
        Q(customer_id__in=customer_ids) | Q(representative_id__in=customer_ids)
    ).order_by("received_at", "pk")


def optional_model(label: str) -> type[Model] | None:
    """A model of another app, or None where that app (or model) is not installed."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@dataclass
class Holdings:
    """What Heard holds about one person, as rows of each model."""

    customers: list[Customer]
    cases: list[Case]
    related: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def customer_ids(self) -> list[int]:
        return [c.pk for c in self.customers]

    @property
    def case_ids(self) -> list[int]:
        return [c.pk for c in self.cases]


# Rows about a case, by model label: (label, the lookups from that model to the case).
CASE_ROWS: tuple[tuple[str, str | tuple[str, ...]], ...] = (
    ("cases.StageRecord", "case_id__in"),
    ("cases.Extension", "stage_record__case_id__in"),
    ("cases.Remedy", "stage_record__case_id__in"),
    ("cases.CaseEvent", "case_id__in"),
    ("cases.CaseNote", "case_id__in"),
    ("cases.Attachment", "case_id__in"),
    ("cases.CaseLink", ("from_case_id__in", "to_case_id__in")),
    ("notify.Message", "case_id__in"),
    ("correspondence.Letter", "case_id__in"),
    ("portal.SurveyResponse", "case_id__in"),
    ("channels.InboundEmail", "case_id__in"),
    ("channels.CallRecord", "case_id__in"),
    ("channels.Open311Request", "case_id__in"),
)


def holdings_of(customer: Customer) -> Holdings:
    """Every record, case and row about the cases of one person."""
    customers = records_of(customer)
    ids = [c.pk for c in customers]
    cases = list(cases_of(ids).select_related("customer", "representative", "service"))
    case_ids = [c.pk for c in cases]
    related: dict[str, list[Any]] = {}
    for label, lookups in CASE_ROWS:
        model = optional_model(label)
        if model is None:
            continue
        about = Q()
        for lookup in (lookups,) if isinstance(lookups, str) else lookups:
            about |= Q(**{lookup: case_ids})
        related[label] = list(model._base_manager.filter(about).order_by("pk"))
    restriction = optional_model("cases.CustomerRestriction")
    if restriction is not None:
        related["cases.CustomerRestriction"] = list(
            restriction._base_manager.filter(customer_id__in=ids).order_by("pk")
        )
    return Holdings(customers=customers, cases=cases, related=related)
