"""Importing cases from the organisation's old system (``heard import-legacy FILE.csv``).

The file is CSV with a header row; column names are not case-sensitive, spaces, hyphens
or underscores alike. Required: ``reference`` (the old system's), ``kind``, ``channel``,
``received``, ``customer name``, ``subject``. Optional: ``stage`` (number, default 1),
``status`` (received, acknowledged, responded, closed; default from the dates), ``outcome``,
``responded``, ``closed``, ``customer email``, ``customer phone``, ``customer address``,
``description``, ``service`` (its slug or name). Dates as 2024-03-31, 31/03/2024 or
31-03-2024, with an optional time (local).

Every row is checked first and each bad row reported by its line; a file with any bad row
imports nothing. A good file is imported in one transaction. Rows whose old reference was
imported before are skipped, so running the same file again creates nothing. Each case
keeps its original dates, its deadlines are worked out by the usual rule from the date it
was received, it gets a Heard reference, and its old reference stays searchable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.cases import deadlines
from heard.cases.models import (
    Case,
    CaseEvent,
    Channel,
    Customer,
    Kind,
    Outcome,
    StageRecord,
    Status,
)
from heard.cases.references import next_reference
from heard.channels.models import LegacyCase, LegacyImport
from heard.core.errors import InvalidInput
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import Service
from heard.procedures.models import ProcedureVersion

REQUIRED = ("reference", "kind", "channel", "received", "customer_name", "subject")
OPTIONAL = (
    "stage",
    "status",
    "outcome",
    "responded",
    "closed",
    "customer_email",
    "customer_phone",
    "customer_address",
    "description",
    "service",
)
FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M")
PROGRESS_EVERY = 500
MAX_PROBLEMS = 200


@dataclass
class LegacyResult:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    line: int
    reference: str
    kind: str
    channel: str
    received: datetime
    stage: int
    status: str
    outcome: str
    responded: datetime | None
    closed: datetime | None
    customer: dict[str, str]
    subject: str
    description: str
    service: Service | None


def import_file(
    text: str,
    *,
    source: str = "",
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> LegacyResult:
    """Check every row; then, unless it is a dry run or a row is bad, import them all at once."""
    result = LegacyResult()
    rows = _check(text, result, progress)
    if result.problems or dry_run:
        return result
    with transaction.atomic():
        known = set(
            LegacyCase.objects.filter(legacy_reference__in=[r.reference for r in rows]).values_list(
                "legacy_reference", flat=True
            )
        )
        for done, row in enumerate(rows, start=1):
            if row.reference in known:
                result.skipped += 1
            else:
                _create(row, source)
                known.add(row.reference)
                result.imported += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress("importing", done, len(rows))
    return result


def run_import(import_id: int) -> str:
    """The background job: import the file named by a :class:`LegacyImport`, with progress."""
    run = LegacyImport.objects.get(pk=import_id)

    def progress(stage: str, done: int, total: int) -> None:
        LegacyImport.objects.filter(pk=run.pk).update(
            status=LegacyImport.Status.CHECKING
            if stage == "checking"
            else LegacyImport.Status.IMPORTING,
            processed_rows=done,
            total_rows=total,
        )

    with open(run.path, encoding="utf-8-sig", newline="") as file:
        text = file.read()
    result = import_file(text, source=run.path, dry_run=run.dry_run, progress=progress)
    status = (
        LegacyImport.Status.REJECTED
        if result.problems
        else LegacyImport.Status.CHECKED
        if run.dry_run
        else LegacyImport.Status.IMPORTED
    )
    LegacyImport.objects.filter(pk=run.pk).update(
        status=status,
        total_rows=result.rows,
        processed_rows=result.rows,
        imported_rows=result.imported,
        skipped_rows=result.skipped,
        errors=[{"line": line, "message": message} for line, message in result.problems],
        finished_at=timezone.now(),
    )
    return f"{result.imported} imported, {result.skipped} already there, {len(result.problems)} bad rows"


# -- checking ---------------------------------------------------------------------------------


def _check(
    text: str, result: LegacyResult, progress: Callable[[str, int, int], None] | None
) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = [_column(name) for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in reader.fieldnames]
    if missing:
        result.problems.append(
            (1, f"The header row has no {', '.join(missing)} column; see the layout in the guide.")
        )
        return []
    zone = ZoneInfo(get_organisation().timezone)
    services = {s.slug.lower(): s for s in Service.objects.all()}
    services.update({s.name.lower(): s for s in services.values()})
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for raw in reader:
        result.rows += 1
        line = reader.line_num
        try:
            row = _row(raw, line, zone, services)
            if row.reference in seen:
                raise InvalidInput(
                    f"The reference {row.reference} is also on line {seen[row.reference]}; "
                    "each old case must appear once."
                )
            seen[row.reference] = line
            rows.append(row)
        except InvalidInput as problem:
            if len(result.problems) < MAX_PROBLEMS:
                result.problems.append((line, problem.message))
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress("checking", result.rows, 0)
    return rows


def _row(raw: dict[str, Any], line: int, zone: ZoneInfo, services: dict[str, Service]) -> Row:
    def text(name: str) -> str:
        return (raw.get(name) or "").strip()

    reference = text("reference")
    if not reference:
        raise InvalidInput("The reference is empty; every old case needs its old reference.")
    kind = _choice(text("kind").lower().replace(" ", "_"), Kind, "kind")
    channel = _choice(text("channel").lower().replace(" ", "_"), Channel, "channel")
    received = _date(text("received"), zone, "received")
    if received is None:
        raise InvalidInput("The received date is empty; give the date the case was received.")
    if received > timezone.now():
        raise InvalidInput("The received date is in the future; check it.")
    responded = _date(text("responded"), zone, "responded")
    closed = _date(text("closed"), zone, "closed")
    for name, moment in (("responded", responded), ("closed", closed)):
        if moment is not None and moment < received:
            raise InvalidInput(f"The {name} date is before the received date; check both.")
    status = text("status").lower()
    if not status:
        status = Status.CLOSED if closed else Status.RESPONDED if responded else Status.RECEIVED
    status = _choice(status, Status, "status")
    if status == Status.CLOSED and closed is None:
        raise InvalidInput("The status is closed but the closed date is empty; give it.")
    if status in (Status.RESPONDED, Status.CLOSED) and responded is None:
        responded = closed
    outcome = text("outcome").lower().replace(" ", "_")
    if outcome:
        _choice(outcome, Outcome, "outcome")
    stage_text = text("stage") or "1"
    if not stage_text.isdigit() or int(stage_text) < 1:
        raise InvalidInput(f"The stage must be a number from 1, not '{stage_text}'.")
    name = text("customer_name")
    if not name:
        raise InvalidInput(
            "The customer name is empty; use 'Not recorded' if the old system had none."
        )
    subject = text("subject")
    if not subject:
        raise InvalidInput("The subject is empty; give a short subject.")
    service_name = text("service").lower()
    service = services.get(service_name) if service_name else None
    if service_name and service is None:
        raise InvalidInput(
            f"There is no service '{text('service')}'; use a service's name or slug as in the admin."
        )
    return Row(
        line=line,
        reference=reference[:100],
        kind=kind,
        channel=channel,
        received=received,
        stage=int(stage_text),
        status=status,
        outcome=outcome,
        responded=responded,
        closed=closed,
        customer={
            "name": name[:200],
            "email": text("customer_email")[:254],
            "phone": text("customer_phone")[:40],
            "address": text("customer_address"),
        },
        subject=subject[:200],
        description=text("description"),
        service=service,
    )


def _choice(value: str, choices: Any, name: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            f"'{value}' is not a {name} Heard knows. Use one of: {', '.join(choices.values)}"
            " (or map it in the file first)."
        )
    return value


def _date(value: str, zone: ZoneInfo, name: str) -> datetime | None:
    if not value:
        return None
    for pattern in FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(
            f"'{value}' in {name} is not a date; use 2024-03-31 or 31/03/2024."
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _column(name: str) -> str:
    return "_".join((name or "").strip().lower().replace("-", " ").replace("_", " ").split())


# -- writing ----------------------------------------------------------------------------------


def _create(row: Row, source: str) -> Case:
    version = _version(row.kind)
    stages = {stage.number: stage for stage in version.stages.all()}
    stage = stages.get(row.stage) or stages[max(stages)]
    calendar = organisation_calendar()
    timing = deadlines.compute(calendar, stage, received_at=row.received, requested_at=row.received)
    customer = Customer.objects.create(**row.customer)
    case = Case.objects.create(
        reference=next_reference(row.kind, calendar.local_date(row.received).year),
        kind=row.kind,
        channel=row.channel,
        procedure_version=version,
        stage=stage,
        stage_number=stage.number,
        status=row.status,
        subject=row.subject,
        description=row.description,
        customer=customer,
        service=row.service,
        received_at=row.received,
        deemed_received=timing.deemed_received,
        acknowledge_by=timing.acknowledge_by,
        respond_by=timing.respond_by,
        responded_at=row.responded,
        closed_at=row.closed,
    )
    StageRecord.objects.create(
        case=case,
        stage=stage,
        number=stage.number,
        requested_at=row.received,
        deemed_received=timing.stage_deemed_received,
        acknowledge_by=timing.acknowledge_by,
        respond_by=timing.respond_by,
        responded_at=row.responded,
        outcome=row.outcome,
    )
    LegacyCase.objects.create(case=case, legacy_reference=row.reference, source_file=source[:255])
    CaseEvent.objects.create(
        case=case,
        action="imported",
        at=row.received,
        summary=f"Imported from the old system, where it was {row.reference}.",
        after={"legacy_reference": row.reference, "line": row.line, "file": source},
    )
    return case


def _version(kind: str) -> ProcedureVersion:
    organisation = get_organisation()
    procedure = (
        organisation.complaint_procedure
        if kind == Kind.COMPLAINT
        else organisation.correspondence_procedure
    )
    if procedure is None:
        raise InvalidInput("Set the organisation's complaint and correspondence procedures first.")
    return procedure.current_version()


def find_by_legacy_reference(reference: str) -> Case | None:
    """The case imported under an old reference (old references stay searchable)."""
    legacy = LegacyCase.objects.filter(Q(legacy_reference__iexact=reference.strip())).first()
    return legacy.case if legacy else None
