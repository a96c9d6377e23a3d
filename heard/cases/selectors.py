"""Reads of cases: what a user sees, with the figures the screens and API show."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import BooleanField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from heard.cases.models import OPEN_STATUSES, Case, CaseEvent, StageRecord, Status
from heard.org import access
from heard.org.calendars import get_organisation


def local_today() -> date:
    """Today in the organisation's time zone: only its time zone is needed (one query), not
    its working-day calendar (three, and every bank holiday put in order)."""
    return today_in(get_organisation().timezone)


def today_in(time_zone: str) -> date:
    """Today's date in ``time_zone`` (an IANA name, as the organisation keeps it)."""
    return timezone.now().astimezone(ZoneInfo(time_zone)).date()


def listed(ids: list[int]) -> list[Case]:
    """The cases with these ids, in this order, with what a row of a list shows.

    Lists page through the ids of their cases and fetch one page's cases with this: joined
    to their customers, stages and services before the page was cut, thousands of cases were
    each joined (and sorted as wide rows) for all but a page of them to be thrown away.
    """
    found = Case.objects.select_related("stage", "service", "assigned_officer", "customer").in_bulk(
        ids
    )
    return [found[pk] for pk in ids if pk in found]


def overdue_q(today: date) -> Q:
    """Open cases past their response date, or not acknowledged by their acknowledgement date."""
    return Q(status__in=OPEN_STATUSES, respond_by__lt=today) | Q(
        status=Status.RECEIVED, acknowledge_by__lt=today
    )


def with_overdue(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    return cases.annotate(
        overdue=models.Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _summarised(cases: QuerySet[Case]) -> QuerySet[Case]:
    # Only the customer tables are joined. PostgreSQL spends longer choosing an order for a
    # nine-table join than running it (about 50 ms of planning for 5 ms of work per page at a
    # million cases; 4 ms for one case); the small look-up tables cost one quick query each.
    return cases.select_related("customer", "representative").prefetch_related(
        "stage",
        "procedure_version__procedure",
        "service",
        "category",
        "assigned_officer",
        "originated_from",
        Prefetch("became", queryset=Case.objects.only("id", "reference", "originated_from_id")),
    )


def _detailed(cases: QuerySet[Case]) -> QuerySet[Case]:
    cases = _summarised(cases).prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch(
            "stage_records",
            queryset=StageRecord.objects.select_related("stage", "responded_by").prefetch_related(
                "remedies", "extensions"
            ),
        ),
        "attachments",
    )
    return with_overdue(cases, local_today())


def as_recorded(case: Case) -> Case:
    """A case this request has just recorded (``services.create_case``), ready for the same
    JSON as :func:`case_detail` without a query: what it was made from, its stage record and
    its log entry are in memory already (``Case.recorded_with``), and nothing else can belong
    to it yet — no remedies, extensions, files or later cases.
    ``test_api_contract`` checks that both give the same JSON."""
    recorded = case.recorded_with
    if recorded is None:
        raise ValueError(f"{case.reference} was not recorded by this request: use case_detail().")
    record = recorded.stage_record
    _known(record, "remedies", [])
    _known(record, "extensions", [])
    _known(case, "stage_records", [record])
    _known(case, "events", [recorded.event])
    _known(case, "attachments", [])
    _known(case, "became", [])
    today = today_in(recorded.time_zone)
    case.overdue = (  # type: ignore[attr-defined]  # as with_overdue() annotates
        case.status in OPEN_STATUSES and case.respond_by is not None and case.respond_by < today
    ) or (
        case.status == Status.RECEIVED
        and case.acknowledge_by is not None
        and case.acknowledge_by < today
    )
    return case


def _known(instance: models.Model, name: str, objects: list[Any]) -> None:
    """Give ``instance`` its related ``name`` objects as prefetch_related would have."""
    related = getattr(instance, name).all()
    related._result_cache = objects
    related._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = related


def case_list_for(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may see, ready to serialise as a list (CaseSummarySerializer): the
    small look-up tables are one quick query each, and no stages, files or action log."""
    return with_overdue(_summarised(access.visible_cases(user)), local_today())


def case_for(user: Any, reference: str) -> Case:
    """One case the user may see, with everything its page or JSON shows."""
    case = access.access_case(user, reference)  # NotFound, with its message, if not
    return _detailed(Case.objects.filter(pk=case.pk)).get()


def case_detail(reference: str) -> Case:
    """One case, for a caller already allowed it (e.g. the answer to a step it just took)."""
    return _detailed(Case.objects.filter(reference=reference)).get()
