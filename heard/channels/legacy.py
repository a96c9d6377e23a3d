"""Importing cases from the organisation's old system (``heard import-legacy FILE.csv``, or
the "Import cases from a file" page under Legacy imports in the administration screens).

The file is CSV with a header row. Either its columns are Heard's own (names not
case-sensitive, spaces, hyphens or underscores alike), or a mapping file (``--mapping``,
TOML or JSON; a worked example is ``docs/legacy-mapping-cfpb.toml``) says which of the
file's columns holds each of Heard's fields, which values to translate (the old system's
channel names into Heard's), which fields are the same for every row, and how dates are
written.

Heard's fields: required ``reference`` (the old system's), ``kind``, ``channel``,
``received``, ``customer name``, ``subject``; optional ``stage`` (number, default 1),
``status`` (received, acknowledged, responded, closed; default from the dates), ``outcome``,
``responded``, ``closed``, ``customer email``, ``customer phone``, ``customer address``,
``description``, ``service`` (its slug or name). Dates as 2024-03-31, 31/03/2024 or
31-03-2024, with an optional time (local), or in the mapping's own format.

Every row is checked first and each bad row reported by its line; a file with any bad row
imports nothing. A good file is imported in one transaction, in batches written with one
statement per table (so 100,000 rows take minutes, not hours). Rows whose old reference was
imported before are skipped, so running the same file again creates nothing. Each case
keeps its original dates, its deadlines are worked out by the usual rule from the date it
was received, it gets a Heard reference, and its old reference stays searchable.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from heard.cases import deadlines
from heard.cases.models import (
    REFERENCE_PREFIXES,
    Case,
    CaseEvent,
    Channel,
    Customer,
    Kind,
    Outcome,
    ReferenceCounter,
    StageRecord,
    Status,
)
from heard.cases.normalise import email_key, phone_digits, postcode_in
from heard.cases.references import format_reference
from heard.channels.models import LegacyCase, LegacyImport
from heard.core.errors import InvalidInput
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import Service
from heard.procedures.models import ProcedureVersion, Stage

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
BATCH = 1000  # rows written per statement
LOOKUP_CHUNK = 5000  # references per query when looking for earlier imports


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


# -- the mapping file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where one of Heard's fields comes from in the old system's file."""

    columns: tuple[str, ...]
    separator: str = ", "
    labels: bool = False  # "Column: value" for each part (for a description made of several)
    only_when_status: frozenset[str] = frozenset()  # e.g. a date that is the closing date only
    # for rows whose (translated) status is one of these


@dataclass(frozen=True)
class Mapping:
    """How another system's export maps onto Heard's fields (loaded by :func:`load_mapping`)."""

    columns: dict[str, Source]
    fixed: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()

    def file_columns(self) -> set[str]:
        return {column for source in self.columns.values() for column in source.columns}

    def apply(self, raw: dict[str | None, Any]) -> dict[str, str]:
        """One row of the old file as Heard's fields, values translated."""
        row = dict(self.fixed)
        for name, source in self.columns.items():
            parts = [(c, str(raw.get(c) or "").strip()) for c in source.columns]
            row[name] = source.separator.join(
                f"{column.replace('_', ' ')}: {value}" if source.labels else value
                for column, value in parts
                if value
            )
        for name, table in self.values.items():
            value = row.get(name, "").strip()
            row[name] = table.get(value.casefold(), value)
        status = row.get("status", "").strip().lower()
        for name, source in self.columns.items():
            if source.only_when_status and status not in source.only_when_status:
                row[name] = ""
        return row


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file (TOML or JSON); InvalidInput says what is wrong in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"Could not read the mapping file {path}: {error}.") from error
    return read_mapping(text, name=str(path))


def read_mapping(text: str, *, name: str) -> Mapping:
    """Check a mapping file's text; JSON if ``name`` ends in .json, otherwise TOML."""
    try:
        data = json.loads(text) if name.lower().endswith(".json") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            f"The mapping file {name} is not valid TOML or JSON: {error}.", field="mapping_file"
        ) from error
    if not isinstance(data, dict):
        raise InvalidInput(
            f"The mapping file {name} must be a table of sections (columns, fixed, values).",
            field="mapping_file",
        )
    return parse_mapping(data)


def parse_mapping(data: dict[str, Any]) -> Mapping:
    fields = set(REQUIRED) | set(OPTIONAL)
    unknown_sections = set(data) - {"about", "file", "columns", "fixed", "values"}
    if unknown_sections:
        raise InvalidInput(
            f"The mapping has sections Heard does not know: {', '.join(sorted(unknown_sections))}. "
            "Use about, file, columns, fixed and values."
        )
    columns: dict[str, Source] = {}
    for name, spec in (data.get("columns") or {}).items():
        columns[_field(name, fields)] = _source(name, spec)
    fixed = {_field(name, fields): str(value) for name, value in (data.get("fixed") or {}).items()}
    values = {
        _field(name, fields): {str(k).strip().casefold(): str(v) for k, v in table.items()}
        for name, table in (data.get("values") or {}).items()
    }
    missing = [name for name in REQUIRED if name not in columns and name not in fixed]
    if missing:
        raise InvalidInput(
            f"The mapping does not say where {', '.join(missing)} come(s) from: give a column "
            "under [columns] or one value for every row under [fixed]."
        )
    formats = (data.get("file") or {}).get("date_format") or ()
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    return Mapping(columns=columns, fixed=fixed, values=values, date_formats=formats)


def _field(name: str, fields: set[str]) -> str:
    normal = _column(name)
    if normal not in fields:
        raise InvalidInput(
            f"'{name}' is not one of Heard's fields; use one of: "
            f"{', '.join((*REQUIRED, *OPTIONAL))}."
        )
    return normal


def _source(name: str, spec: Any) -> Source:
    if isinstance(spec, str):
        return Source(columns=(spec,))
    if isinstance(spec, list) and all(isinstance(c, str) for c in spec) and spec:
        return Source(columns=tuple(spec))
    if isinstance(spec, dict) and (spec.get("columns") or spec.get("column")):
        found = spec.get("columns") or [spec["column"]]
        return Source(
            columns=tuple(found),
            separator=str(spec.get("separator", ", ")),
            labels=bool(spec.get("labels", False)),
            only_when_status=frozenset(s.lower() for s in spec.get("only_when_status", [])),
        )
    raise InvalidInput(
        f"Say which column holds {name}: a column name, a list of them, or a table with columns."
    )


# -- the import ---------------------------------------------------------------------------------


def import_file(
    text: str,
    *,
    source: str = "",
    mapping: Mapping | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> LegacyResult:
    """Check every row; then, unless it is a dry run or a row is bad, import them all at once."""
    result = LegacyResult()
    rows = _check(text, result, progress, mapping)
    if result.problems or dry_run:
        return result
    with transaction.atomic():
        _write(rows, source, result, progress)
    return result


def run_import(import_id: int) -> str:
    """The background job: import the file named by a :class:`LegacyImport`, with progress.

    A run that has finished is not run again (a job put back after its worker died).
    """
    run = LegacyImport.objects.get(pk=import_id)
    if run.finished_at is not None:
        return f"already finished: {run.get_status_display()}"
    with open(run.path, encoding="utf-8-sig", newline="") as file:
        text = file.read()
    rows = count_rows(text)
    LegacyImport.objects.filter(pk=run.pk).update(
        status=LegacyImport.Status.CHECKING, processed_rows=0, total_rows=rows
    )

    def progress(stage: str, done: int, total: int) -> None:
        # Checking counts through every row of the file; importing through the new ones.
        LegacyImport.objects.filter(pk=run.pk).update(
            status=LegacyImport.Status.CHECKING
            if stage == "checking"
            else LegacyImport.Status.IMPORTING,
            processed_rows=done,
            total_rows=total or rows,
        )

    try:
        mapping = load_mapping(run.mapping_path) if run.mapping_path else None
        result = import_file(
            text, source=run.path, mapping=mapping, dry_run=run.dry_run, progress=progress
        )
    except InvalidInput as problem:  # the mapping file, or the organisation not set up
        result = LegacyResult(problems=[(0, problem.message)])
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
    _discard_upload(run)
    return f"{result.imported} imported, {result.skipped} already there, {len(result.problems)} bad rows"


def count_rows(text: str) -> int:
    """The rows of a CSV file after its header (a quoted value may span lines)."""
    records = sum(1 for record in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if record)
    return max(records - 1, 0)


# -- uploads from the administration screens --------------------------------------------------


MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # about 150,000 rows of the CFPB layout
MAX_MAPPING_BYTES = 256 * 1024
MAPPING_SUFFIXES = (".toml", ".json")


def decode_upload(raw: bytes, *, limit: int = MAX_UPLOAD_BYTES, field: str = "file") -> str:
    """An uploaded file's bytes as text (UTF-8, with or without a byte-order mark, or Windows-1252)."""
    if len(raw) > limit:
        raise InvalidInput(oversize_message(limit), field=field)
    if not raw.strip():
        raise InvalidInput("The file is empty.", field=field)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def oversize_message(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"The file is larger than {size}; split it into smaller files."


def upload_import(
    *,
    by: Any,
    filename: str,
    text: str,
    mapping_filename: str = "",
    mapping_text: str = "",
    dry_run: bool = False,
) -> LegacyImport:
    """Keep an uploaded file (and its mapping) in the data directory and queue its import.

    The mapping is checked here, so a broken one is refused on the upload page rather than
    by the job. The files sit under ``HEARD_DATA_DIR/legacy-imports``, which the web server
    does not serve.
    """
    if mapping_text:
        if not mapping_filename.lower().endswith(MAPPING_SUFFIXES):
            raise InvalidInput(
                "The mapping file must be TOML (.toml) or JSON (.json), like "
                "docs/legacy-mapping-cfpb.toml.",
                field="mapping_file",
            )
        read_mapping(mapping_text, name=Path(mapping_filename).name)
    folder = Path(settings.DATA_DIR) / "legacy-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    path = _keep(folder / f"{stem}.csv", text)
    mapping_path = (
        _keep(folder / f"{stem}-mapping{Path(mapping_filename).suffix.lower()}", mapping_text)
        if mapping_text
        else None
    )
    run = LegacyImport.objects.create(
        path=str(path),
        filename=Path(filename or "upload.csv").name[:255],
        mapping_path=str(mapping_path or ""),
        dry_run=dry_run,
        total_rows=count_rows(text),
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    transaction.on_commit(partial(_enqueue, run.pk))
    return run


def _discard_upload(run: LegacyImport) -> None:
    """Delete an uploaded file and its mapping once their run has finished.

    The export holds customers' personal data, and nothing reads it again: the result, the
    counts and every bad row's message are on the run; a corrected file is a new upload.
    Only files the upload page kept (under HEARD_DATA_DIR/legacy-imports) are deleted, never
    a file named on the command line.
    """
    folder = (Path(settings.DATA_DIR) / "legacy-imports").resolve()
    for name in (run.path, run.mapping_path):
        if not name:
            continue
        path = Path(name).resolve()
        if path.parent == folder:
            path.unlink(missing_ok=True)


def _keep(path: Path, text: str) -> Path:
    with open(
        os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8"
    ) as file:
        file.write(text)
    return path


def _enqueue(import_id: int) -> None:
    from heard.channels.tasks import import_legacy

    import_legacy.enqueue(import_id)


# -- checking ---------------------------------------------------------------------------------


def _check(
    text: str,
    result: LegacyResult,
    progress: Callable[[str, int, int], None] | None,
    mapping: Mapping | None = None,
) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if mapping is not None:
        reader.fieldnames = [(name or "").strip() for name in reader.fieldnames or []]
        missing = sorted(mapping.file_columns() - set(reader.fieldnames))
        if missing:
            result.problems.append(
                (1, f"The header row has no {', '.join(missing)} column that the mapping names.")
            )
            return []
    else:
        reader.fieldnames = [_column(name) for name in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in reader.fieldnames]
        if missing:
            result.problems.append(
                (
                    1,
                    f"The header row has no {', '.join(missing)} column; see the layout in the "
                    "guide, or give a mapping file.",
                )
            )
            return []
    formats = (*mapping.date_formats, *FORMATS) if mapping else FORMATS
    zone = ZoneInfo(get_organisation().timezone)
    services = {s.slug.lower(): s for s in Service.objects.all()}
    services.update({s.name.lower(): s for s in services.values()})
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for raw in reader:
        result.rows += 1
        line = reader.line_num
        try:
            row = _row(mapping.apply(raw) if mapping else raw, line, zone, services, formats)
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


def _row(
    raw: dict[Any, Any],
    line: int,
    zone: ZoneInfo,
    services: dict[str, Service],
    formats: tuple[str, ...] = FORMATS,
) -> Row:
    def text(name: str) -> str:
        return str(raw.get(name) or "").strip()

    reference = text("reference")
    if not reference:
        raise InvalidInput("The reference is empty; every old case needs its old reference.")
    kind = _choice(text("kind").lower().replace(" ", "_"), Kind, "kind")
    channel = _choice(text("channel").lower().replace(" ", "_"), Channel, "channel")
    received = _date(text("received"), zone, "received", formats)
    if received is None:
        raise InvalidInput("The received date is empty; give the date the case was received.")
    if received > timezone.now():
        raise InvalidInput("The received date is in the future; check it.")
    responded = _date(text("responded"), zone, "responded", formats)
    closed = _date(text("closed"), zone, "closed", formats)
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
            " (or map it in the mapping file)."
        )
    return value


def _date(
    value: str, zone: ZoneInfo, name: str, formats: tuple[str, ...] = FORMATS
) -> datetime | None:
    if not value:
        return None
    for pattern in formats:
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


def _write(
    rows: list[Row],
    source: str,
    result: LegacyResult,
    progress: Callable[[str, int, int], None] | None,
) -> None:
    """Create the cases not imported before, a batch of rows per statement for each table."""
    known = _already_imported([row.reference for row in rows])
    new = [row for row in rows if row.reference not in known]
    result.skipped = len(rows) - len(new)
    if not new:
        return
    calendar = organisation_calendar()
    versions = {kind: _version(kind) for kind in {row.kind for row in new}}
    stages = {
        kind: {stage.number: stage for stage in version.stages.all()}
        for kind, version in versions.items()
    }
    references = _references(new, calendar.local_date)
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        chosen = [_stage(stages[row.kind], row.stage) for row in batch]
        timing = _timing(calendar, batch, chosen)
        customers = Customer.objects.bulk_create(
            Customer(
                **row.customer,
                postcode=postcode_in(row.customer["address"]),
                phone_digits=phone_digits(row.customer["phone"]),
                email_key=email_key(row.customer["email"]),
            )
            for row in batch
        )
        cases = Case.objects.bulk_create(
            Case(
                reference=next(references[row.kind, calendar.local_date(row.received).year]),
                kind=row.kind,
                channel=row.channel,
                procedure_version=versions[row.kind],
                stage=stage,
                stage_number=stage.number,
                status=row.status,
                subject=row.subject,
                description=row.description,
                customer=customer,
                customer_key=customer.email_key,
                service=row.service,
                received_at=row.received,
                deemed_received=deemed,
                acknowledge_by=acknowledge_by,
                respond_by=respond_by,
                responded_at=row.responded,
                closed_at=row.closed,
            )
            for row, stage, customer, (deemed, _, acknowledge_by, respond_by) in zip(
                batch, chosen, customers, timing, strict=True
            )
        )
        StageRecord.objects.bulk_create(
            StageRecord.of(
                case,
                stage=stage,
                number=stage.number,
                requested_at=row.received,
                deemed_received=stage_day0,
                acknowledge_by=acknowledge_by,
                respond_by=respond_by,
                responded_at=row.responded,
                outcome=row.outcome,
            )
            for row, stage, case, (_, stage_day0, acknowledge_by, respond_by) in zip(
                batch, chosen, cases, timing, strict=True
            )
        )
        LegacyCase.objects.bulk_create(
            LegacyCase(case=case, legacy_reference=row.reference, source_file=source[:255])
            for row, case in zip(batch, cases, strict=True)
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                action="imported",
                at=row.received,
                summary=f"Imported from the old system, where it was {row.reference}.",
                after={"legacy_reference": row.reference, "line": row.line, "file": source},
            )
            for row, case in zip(batch, cases, strict=True)
        )
        result.imported += len(batch)
        if progress:
            progress("importing", start + len(batch), len(new))


def _already_imported(references: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(references), LOOKUP_CHUNK):
        chunk = references[start : start + LOOKUP_CHUNK]
        known.update(
            LegacyCase.objects.filter(legacy_reference__in=chunk).values_list(
                "legacy_reference", flat=True
            )
        )
    return known


def _references(
    rows: list[Row], local_date: Callable[[datetime], date]
) -> dict[tuple[str, int], Iterator[str]]:
    """Reserve a block of reference numbers per kind and year, in one locked update each."""
    needed = Counter((row.kind, local_date(row.received).year) for row in rows)
    blocks: dict[tuple[str, int], Iterator[str]] = {}
    for (kind, year), count in needed.items():
        prefix = REFERENCE_PREFIXES[kind]
        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
        first = counter.last + 1
        ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
        blocks[kind, year] = iter(
            [format_reference(prefix, year, n) for n in range(first, first + count)]
        )
    return blocks


def _stage(stages: dict[int, Stage], number: int) -> Stage:
    return stages.get(number) or stages[max(stages)]


def _timing(
    calendar: Any, rows: list[Row], stages: list[Stage]
) -> list[tuple[date, date, date | None, date]]:
    """Each row's (deemed received, stage day 0, acknowledge by, respond by), by the usual rule."""
    received = np.array(
        [row.received.astimezone(UTC).replace(tzinfo=None) for row in rows],
        dtype="datetime64[us]",
    )
    deemed, stage_day0, acknowledge_by, respond_by = deadlines.compute_many(
        calendar,
        received_at=received,
        requested_at=received,
        acknowledged_at=np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[us]"),
        acknowledge_days=np.array(
            [
                deadlines.NO_TARGET if s.acknowledge_days is None else s.acknowledge_days
                for s in stages
            ],
            dtype=np.int64,
        ),
        acknowledge_from=np.array([s.acknowledge_counted_from for s in stages]),
        respond_days=np.array([s.respond_days for s in stages], dtype=np.int64),
        respond_from=np.array([s.respond_counted_from for s in stages]),
    )
    return [
        (
            _day(deemed[i]),
            _day(stage_day0[i]),
            None if np.isnat(acknowledge_by[i]) else _day(acknowledge_by[i]),
            _day(respond_by[i]),
        )
        for i in range(len(rows))
    ]


def _day(value: np.datetime64) -> date:
    result = value.astype("datetime64[D]").item()
    assert isinstance(result, date)
    return result


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
