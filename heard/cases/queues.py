"""Work queues: the lists officers work from, each a filter over the cases a user may see.

A queue is a name, a sentence saying what is in it, and a filter. Lists are sorted and
filtered here, not in views, so the screens, the API and the benchmarks share one
definition. Each row carries its working days left (negative: overdue by).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet

from heard.cases.models import OPEN_STATUSES, Case, Kind, RepresentativeRole, Status
from heard.cases.selectors import local_today, overdue_q
from heard.core.errors import InvalidInput, NotFound
from heard.org import access
from heard.org.calendars import organisation_calendar
from heard.workdays.engine import Calendar

DUE_SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Queue:
    slug: str
    name: str
    description: str
    where: Callable[[Any, date, Calendar], Q]
    applies: Callable[[Any], bool] = lambda user: True
    open_only: bool = True  # holds only open cases (counted together with the others that do)


def _mine(user: Any, today: date, calendar: Calendar) -> Q:
    return Q(assigned_officer_id=user.pk, status__in=OPEN_STATUSES)


def _my_services(user: Any, today: date, calendar: Calendar) -> Q:
    return Q(service_id__in=access.service_ids_of(user), status__in=OPEN_STATUSES)


def _unallocated(user: Any, today: date, calendar: Calendar) -> Q:
    return Q(status__in=OPEN_STATUSES, assigned_officer__isnull=True)


def _due_soon(user: Any, today: date, calendar: Calendar) -> Q:
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    return Q(status__in=OPEN_STATUSES, respond_by__gte=today, respond_by__lte=horizon) | Q(
        status=Status.RECEIVED, acknowledge_by__gte=today, acknowledge_by__lte=horizon
    )


def _overdue(user: Any, today: date, calendar: Calendar) -> Q:
    return overdue_q(today)


def _quality_check(user: Any, today: date, calendar: Calendar) -> Q:
    from heard.correspondence.selectors import awaiting_check_q

    return awaiting_check_q()


def _members(user: Any, today: date, calendar: Calendar) -> Q:
    return Q(status__in=OPEN_STATUSES) & (
        Q(kind__in=[Kind.MEMBER_ENQUIRY, Kind.MP_ENQUIRY])
        | Q(representative_role__in=[RepresentativeRole.ELECTED_MEMBER, RepresentativeRole.MP])
    )


QUEUES: tuple[Queue, ...] = (
    Queue("mine", "My cases", "Open cases allocated to you.", _mine),
    Queue(
        "my-services",
        "My services",
        "Open cases of the services you work in.",
        _my_services,
        applies=lambda user: bool(access.service_ids_of(user)),
    ),
    Queue(
        "unallocated",
        "Unallocated",
        "Open cases no officer has yet: triage them.",
        _unallocated,
    ),
    Queue(
        "due-soon",
        "Due within 2 working days",
        "Open cases whose acknowledgement or response is due today or within 2 working days.",
        _due_soon,
    ),
    Queue(
        "overdue", "Overdue", "Open cases past their acknowledgement or response date.", _overdue
    ),
    Queue(
        "quality-check",
        "Awaiting quality check",
        "Cases with a letter or email waiting for a second person's check.",
        _quality_check,
        open_only=False,
    ),
    Queue(
        "members",
        "Member and MP enquiries",
        "Open enquiries from elected members and MPs, and cases they raised for someone.",
        _members,
    ),
)
BY_SLUG = {queue.slug: queue for queue in QUEUES}

SORTS: dict[str, tuple[str, ...]] = {
    "due": ("respond_by", "id"),
    "received": ("received_at", "id"),
    "reference": ("reference",),
    "subject": ("subject", "id"),
}


@dataclass(frozen=True)
class Filters:
    service: int | None = None
    kind: str = ""
    stage: int | None = None
    channel: str = ""
    status: str = ""
    sort: str = "due"
    descending: bool = False

    @classmethod
    def parse(cls, params: Any) -> Filters:
        """Filters from a query string; anything unknown is a clear InvalidInput."""

        def number(name: str) -> int | None:
            value = (params.get(name) or "").strip()
            if not value:
                return None
            if not value.isdigit():
                raise InvalidInput(f"The {name} filter must be a number.", field=name)
            return int(value)

        sort = params.get("sort") or "due"
        if sort not in SORTS:
            raise InvalidInput(
                f"Sort by one of: {', '.join(SORTS)}.",
                field="sort",
            )
        kind = params.get("kind") or ""
        if kind and kind not in Kind.values:
            raise InvalidInput("Choose a kind of contact from the list.", field="kind")
        status = params.get("status") or ""
        if status and status not in Status.values:
            raise InvalidInput("Choose a status from the list.", field="status")
        return cls(
            service=number("service"),
            kind=kind,
            stage=number("stage"),
            channel=params.get("channel") or "",
            status=status,
            sort=sort,
            descending=params.get("order") == "desc",
        )

    def filters_nothing(self) -> bool:
        """Only sorts: the queue's cases are all there, in some order."""
        return self == Filters(sort=self.sort, descending=self.descending)

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if self.service is not None:
            cases = cases.filter(service_id=self.service)
        if self.kind:
            cases = cases.filter(kind=self.kind)
        if self.stage is not None:
            cases = cases.filter(stage_number=self.stage)
        if self.channel:
            cases = cases.filter(channel=self.channel)
        if self.status:
            cases = cases.filter(status=self.status)
        fields = SORTS[self.sort]
        order = [F(f).desc() if self.descending else F(f).asc() for f in fields]
        return cases.order_by(*order)


def queues_for(user: Any) -> list[Queue]:
    return [queue for queue in QUEUES if queue.applies(user)]


def queue_cases(
    user: Any, slug: str, filters: Filters | None = None, *, today: date | None = None
) -> QuerySet[Case]:
    """The cases in one of the user's queues, filtered and sorted (page through their ids and
    fetch a page with :func:`heard.cases.selectors.listed`)."""
    queue = BY_SLUG.get(slug)
    if queue is None or not queue.applies(user):
        raise NotFound(f"There is no work queue '{slug}'.")
    today = today or local_today()
    calendar = organisation_calendar()
    cases = access.visible_cases(user).filter(queue.where(user, today, calendar))
    return (filters or Filters()).apply(cases)


def counts(user: Any, *, today: date | None = None) -> dict[str, int]:
    """How many cases each of the user's queues holds.

    The queues of open cases are counted in one pass over the open cases (one query, not one
    per queue: every staff page shows these counts); any other queue by itself.
    """
    today = today or local_today()
    calendar = organisation_calendar()
    visible = access.visible_cases(user)
    mine = queues_for(user)
    together = [queue for queue in mine if queue.open_only]
    found = visible.filter(status__in=OPEN_STATUSES).aggregate(
        **{
            f"queue_{index}": Count("pk", filter=queue.where(user, today, calendar))
            for index, queue in enumerate(together)
        }
    )
    result = {queue.slug: found[f"queue_{index}"] for index, queue in enumerate(together)}
    for queue in mine:
        if not queue.open_only:
            result[queue.slug] = visible.filter(queue.where(user, today, calendar)).count()
    return {queue.slug: result[queue.slug] for queue in mine}


def working_days_left(cases: Sequence[Case], *, today: date | None = None) -> list[int]:
    """For each case, working days until its next deadline (negative: overdue by that many).

    The next deadline is the acknowledgement date while a case awaits acknowledgement and
    that date is earlier than the response date, otherwise the response date.
    """
    if not cases:
        return []
    today = today or local_today()
    due = [next_deadline(case) for case in cases]
    days = organisation_calendar().working_days_after_many(
        np.full(len(due), np.datetime64(today, "D")), np.array(due, dtype="datetime64[D]")
    )
    return [int(d) for d in days]


def next_deadline(case: Case) -> date:
    if (
        case.status == Status.RECEIVED
        and case.acknowledge_by is not None
        and case.acknowledge_by < case.respond_by
    ):
        return case.acknowledge_by
    return case.respond_by


def clock_text(days: int, *, is_open: bool = True) -> str:
    """'3 working days left', 'Due today', 'Overdue by 2 working days'."""
    if not is_open:
        return ""
    if days == 0:
        return "Due today"
    if days > 0:
        return f"{days} working day{'s' if days != 1 else ''} left"
    return f"Overdue by {-days} working day{'s' if days != -1 else ''}"
