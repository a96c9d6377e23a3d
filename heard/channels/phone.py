"""Phone and voicemail: calls logged by officers or imported from the phone system, and the
call-back standard they are measured against.

Seed 000 promises voicemail returned, and seed 002 callers contacted, "within 24 hours or the
next working day": a call back is due 24 hours after the call, or at the end of the next
working day after the day of the call if that is later (a voicemail left on Friday evening
is answered by Monday evening, not Saturday).

The phone system's export is a CSV file with a header row (names are not case-sensitive,
spaces or underscores alike)::

    line, caller number, started, duration seconds, answered, voicemail, called back

``started`` and ``called back`` as 2026-03-02 09:30 or 02/03/2026 09:30 (local time) or with a
UTC offset; ``answered`` and ``voicemail`` yes or no; ``called back`` blank until made. Every
row is checked before anything is kept; a file with a bad row imports nothing and names
each bad row's line. The same call imported again is not doubled: its call back is updated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from heard.cases.models import Case
from heard.channels.models import CallRecord
from heard.channels.services import end_of_day
from heard.core.errors import InvalidInput, NotFound
from heard.org import access
from heard.org.access import Permission
from heard.org.calendars import get_organisation, organisation_calendar

CALL_BACK_HOURS = 24
COLUMNS = ("line", "caller_number", "started", "duration_seconds", "answered", "voicemail")
OPTIONAL = ("called_back",)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


def call_back_due(started_at: datetime) -> datetime:
    """When a call back promised for a call at ``started_at`` must have been made."""
    calendar = organisation_calendar()
    next_working_day = calendar.next_working_day(
        calendar.local_date(started_at) + timedelta(days=1)
    )
    return max(started_at + timedelta(hours=CALL_BACK_HOURS), end_of_day(next_working_day))


@transaction.atomic
def log_call(
    *,
    by: Any,
    line: str,
    started_at: datetime,
    caller_number: str = "",
    duration_seconds: int = 0,
    answered: bool = True,
    voicemail: bool = False,
    call_back_promised: bool = False,
    outcome: str = "",
    case: Case | None = None,
) -> CallRecord:
    """Log one call or voicemail (from triage: pass the case it became, if any).

    A voicemail, or a call where a call back was promised, is owed a call back by
    :func:`call_back_due`.
    """
    access.require(by, Permission.CREATE_CASE)
    line = (line or "").strip()
    if not line:
        raise InvalidInput("Say which line the call came in on.", field="line")
    if started_at.tzinfo is None:
        raise InvalidInput("Give the time of the call with its time zone.", field="started_at")
    if started_at > timezone.now():
        raise InvalidInput("The call's time is in the future; check the date.", field="started_at")
    if duration_seconds < 0:
        raise InvalidInput("The duration cannot be negative.", field="duration_seconds")
    owed = voicemail or call_back_promised
    return CallRecord.objects.create(
        line=line[:100],
        caller_number=(caller_number or "").strip()[:40],
        started_at=started_at,
        duration_seconds=duration_seconds,
        answered=answered,
        voicemail=voicemail,
        call_back_promised=call_back_promised,
        call_back_by=call_back_due(started_at) if owed else None,
        outcome=(outcome or "").strip()[:500],
        case=case,
        source=CallRecord.Source.LOGGED,
        logged_by=by,
    )


@transaction.atomic
def record_call_back(call: CallRecord, *, by: Any, at: datetime | None = None) -> CallRecord:
    """Record that the caller was called back."""
    access.require(by, Permission.CREATE_CASE)
    at = at or timezone.now()
    if at < call.started_at:
        raise InvalidInput("The call back cannot be before the call.", field="called_back_at")
    call.called_back_at = at
    call.save(update_fields=["called_back_at"])
    return call


# -- call backs owed: tasks with their own deadline -------------------------------------------


@dataclass(frozen=True)
class CallBackTask:
    call: CallRecord
    overdue: bool


def call_backs_owed(user: Any, *, now: datetime | None = None) -> list[CallBackTask]:
    """Every call back promised and not yet made, the soonest due first (overdue ones first)."""
    access.require(user, Permission.CREATE_CASE)
    now = now or timezone.now()
    calls = (
        CallRecord.objects.filter(call_back_by__isnull=False, called_back_at__isnull=True)
        .select_related("case")
        .order_by("call_back_by", "id")
    )
    return [
        CallBackTask(call, overdue=call.call_back_by is not None and call.call_back_by < now)
        for call in calls
    ]


def call_back_for(user: Any, call_id: int) -> CallRecord:
    """A call still owed a call back, if the user may record call backs; NotFound otherwise."""
    access.require(user, Permission.CREATE_CASE)
    call = CallRecord.objects.filter(
        pk=call_id, call_back_by__isnull=False, called_back_at__isnull=True
    ).first()
    if call is None:
        raise NotFound("There is no call back owed with that number; it may have been made.")
    return call


# -- the standard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CallBackPerformance:
    owed: int
    met: int
    missed: int
    outstanding: int

    @property
    def percent_met(self) -> float | None:
        judged = self.met + self.missed
        return round(100 * self.met / judged, 1) if judged else None


def call_back_performance(
    start: date, end: date, *, now: datetime | None = None, line: str = ""
) -> CallBackPerformance:
    """Call backs owed for calls from ``start`` to ``end`` (local dates), and how many were in time.

    A call back not yet made counts as missed once it is overdue, as outstanding until then.
    """
    now = now or timezone.now()
    zone = ZoneInfo(get_organisation().timezone)
    calls = CallRecord.objects.filter(
        call_back_by__isnull=False,
        started_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=zone),
        started_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone),
    )
    if line:
        calls = calls.filter(line=line)
    met = missed = outstanding = 0
    for due, made in calls.values_list("call_back_by", "called_back_at").iterator():
        if due is None:
            continue
        if made is not None:
            if made <= due:
                met += 1
            else:
                missed += 1
        elif due < now:
            missed += 1
        else:
            outstanding += 1
    return CallBackPerformance(met + missed + outstanding, met, missed, outstanding)


# -- importing the phone system's records ---------------------------------------------------


@dataclass
class CallImport:
    rows: int = 0
    added: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def import_calls(text: str, *, dry_run: bool = False) -> CallImport:
    """Check every row, then keep them all in one transaction, or none if any row is bad."""
    result = CallImport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = [_column(n) for n in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in reader.fieldnames]
    if missing:
        result.problems.append(
            (1, f"The header row has no {', '.join(missing)} column; see the layout in the guide.")
        )
        return result
    zone = ZoneInfo(get_organisation().timezone)
    parsed: list[dict[str, Any]] = []
    for row in reader:
        result.rows += 1
        try:
            parsed.append(_call(row, zone))
        except InvalidInput as problem:
            result.problems.append((reader.line_num, problem.message))
    if result.problems or dry_run:
        return result
    with transaction.atomic():
        for values in parsed:
            call_back = values.pop("called_back_at")
            record, created = CallRecord.objects.get_or_create(
                line=values["line"],
                caller_number=values["caller_number"],
                started_at=values["started_at"],
                defaults={
                    **values,
                    "called_back_at": call_back,
                    "source": CallRecord.Source.IMPORTED,
                },
            )
            if created:
                result.added += 1
            elif call_back and record.called_back_at != call_back:
                record.called_back_at = call_back
                record.save(update_fields=["called_back_at"])
                result.updated += 1
    return result


def _call(row: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    line = (row.get("line") or "").strip()
    if not line:
        raise InvalidInput("The line is empty; name the line the call came in on.")
    started = _moment(row.get("started"), zone, "started")
    if started is None:
        raise InvalidInput("The started column is empty; give the date and time of the call.")
    try:
        duration = int((row.get("duration_seconds") or "0").strip())
    except ValueError as error:
        raise InvalidInput("The duration must be a whole number of seconds, e.g. 95.") from error
    answered = _yes_no(row.get("answered"), "answered")
    voicemail = _yes_no(row.get("voicemail"), "voicemail")
    called_back = _moment(row.get("called_back"), zone, "called back")
    if called_back is not None and called_back < started:
        raise InvalidInput("The call back is before the call; check both dates.")
    return {
        "line": line[:100],
        "caller_number": (row.get("caller_number") or "").strip()[:40],
        "started_at": started,
        "duration_seconds": max(duration, 0),
        "answered": answered,
        "voicemail": voicemail,
        "call_back_by": call_back_due(started) if voicemail else None,
        "called_back_at": called_back,
    }


def _moment(value: str | None, zone: ZoneInfo, name: str) -> datetime | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise InvalidInput(f"'{text}' in {name} is not a date and time; use 2026-03-02 09:30.")
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _yes_no(value: str | None, name: str) -> bool:
    text = (value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidInput(f"{name} must be yes or no, not '{value}'.")


def _column(name: str) -> str:
    return "_".join((name or "").strip().lower().replace("-", " ").split())
