"""Importing measurements: telephony call logs, mystery-shopping results, correspondence samples.

Every row is checked first; a file with any bad row is rejected whole, with each bad row's line
number and what to correct, and nothing from it is kept. A good file is written in one
transaction. Checking updates the import's progress so the page can show it; running an
import again (after a worker died mid-way) starts it afresh and cannot import anything twice.

The columns (a header row first; names are not case-sensitive, spaces or underscores alike):

* telephony: ``line, period, calls offered, calls answered, answered within threshold,
  abandoned`` — period as 2026-03 (a month) or 2026-Q1 (a quarter). A line and period already
  imported is replaced by the new figures.
* mystery shopping: ``type`` (visit or call), ``date``, ``standard`` (the standard's code),
  ``met`` (yes or no), ``notes`` (optional).
* correspondence sampling: ``reference`` (optional), ``channel`` (letter or email),
  ``received``, ``acknowledged``, ``answered`` (dates; leave blank if it never happened).

Dates as 2026-03-31 or 31/03/2026.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput
from heard.reporting import periods
from heard.reporting.models import (
    CheckKind,
    CorrespondenceSample,
    Import,
    MysteryShopResult,
    Source,
    Standard,
    TelephonyRecord,
)

MAX_BYTES = 5 * 1024 * 1024
PROGRESS_EVERY = 200  # rows between progress updates
MAX_ERRORS_SHOWN = 200

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required columns, optional columns)
    Import.Kind.TELEPHONY: (
        (
            "line",
            "period",
            "calls_offered",
            "calls_answered",
            "answered_within_threshold",
            "abandoned",
        ),
        (),
    ),
    Import.Kind.MYSTERY_SHOPPING: (("type", "date", "standard", "met"), ("notes",)),
    Import.Kind.CORRESPONDENCE_SAMPLING: (
        ("channel", "received"),
        ("reference", "acknowledged", "answered"),
    ),
}
YES = {"yes", "y", "met", "true", "1"}
NO = {"no", "n", "not met", "false", "0"}


class RowError(Exception):
    """What is wrong with one row, in words the person who made the file can act on."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class Checked:
    rows: list[dict[str, Any]]
    problems: list[Problem]


def decode(raw: bytes) -> str:
    """The uploaded bytes as text (UTF-8, with or without a byte-order mark, or Windows-1252)."""
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files.",
            field="file",
        )
    if not raw.strip():
        raise InvalidInput("The file is empty.", field="file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def check(
    kind: str, content: str, *, progress: Callable[[int, int], None] | None = None
) -> Checked:
    """Every row of the file checked; the rows ready to write, and every problem found."""
    lines = content.splitlines()
    total = max(len([line for line in lines[1:] if line.strip()]), 0)
    reader = csv.DictReader(io.StringIO(content))
    problems: list[Problem] = []
    if reader.fieldnames is None:
        return Checked([], [Problem(1, "The file has no header row.")])
    header = {_column(name): name for name in reader.fieldnames if name}
    required, optional = COLUMNS[kind]
    missing = [c for c in required if c not in header]
    if missing:
        expected = ", ".join(c.replace("_", " ") for c in required + optional)
        return Checked(
            [],
            [
                Problem(
                    1,
                    f"The header row lacks the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(m.replace('_', ' ') for m in missing)}. Expected: {expected}.",
                )
            ],
        )
    checker = _CHECKERS[kind](kind)
    rows: list[dict[str, Any]] = []
    done = 0
    for line, values in _records(reader, header):
        try:
            rows.append(checker.row(values, line))
        except RowError as error:
            problems.append(Problem(line, str(error)))
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(done, done)
    if not rows and not problems:
        problems.append(Problem(2, "The file has a header row but no rows of figures."))
    return Checked(rows, problems)


def run(import_id: int) -> str:
    """Check an uploaded file and import it whole, or reject it with every bad row listed."""
    upload = Import.objects.filter(pk=import_id).first()
    if upload is None or upload.finished:
        return upload.status if upload else "missing"
    Import.objects.filter(pk=import_id).update(status=Import.Status.CHECKING, checked_rows=0)

    def progress(done: int, total: int) -> None:
        Import.objects.filter(pk=import_id).update(checked_rows=done, total_rows=total)

    checked = check(upload.kind, upload.content, progress=progress)
    if checked.problems:
        Import.objects.filter(pk=import_id).update(
            status=Import.Status.REJECTED,
            errors=[{"line": p.line, "message": p.message} for p in checked.problems][
                :MAX_ERRORS_SHOWN
            ],
            finished_at=timezone.now(),
        )
        return Import.Status.REJECTED
    with transaction.atomic():
        upload = Import.objects.select_for_update().get(pk=import_id)
        if upload.finished:
            return upload.status
        _WRITERS[upload.kind](upload, checked.rows)
        upload.status = Import.Status.IMPORTED
        upload.imported_rows = len(checked.rows)
        upload.errors = []
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "imported_rows", "errors", "finished_at"])
    return Import.Status.IMPORTED


# -- reading -------------------------------------------------------------------------------


def _column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def _records(
    reader: csv.DictReader[str], header: dict[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    for record in reader:
        values = {
            column: (record.get(original) or "").strip() for column, original in header.items()
        }
        if not any(values.values()):
            continue  # a blank line
        yield reader.line_num, values


def _whole_number(values: dict[str, str], column: str) -> int:
    text = values.get(column, "").replace(",", "")
    if not text:
        raise RowError(f"Enter the {column.replace('_', ' ')}.")
    try:
        number = int(text)
    except ValueError:
        raise RowError(
            f"The {column.replace('_', ' ')} must be a whole number, not “{values[column]}”."
        ) from None
    if number < 0:
        raise RowError(f"The {column.replace('_', ' ')} cannot be negative.")
    return number


def _date(values: dict[str, str], column: str, *, required: bool = True) -> date | None:
    text = values.get(column, "")
    if not text:
        if required:
            raise RowError(f"Enter the {column} date.")
        return None
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, layout).date()
        except ValueError:
            continue
        if day > timezone.localdate():
            raise RowError(f"The {column} date {text} is in the future.")
        return day
    raise RowError(
        f"The {column} date “{text}” is not a date; write it as 2026-03-31 or 31/03/2026."
    )


class _Telephony:
    def __init__(self, kind: str) -> None:
        self.seen: dict[tuple[str, str], int] = {}

    def row(self, values: dict[str, str], line: int) -> dict[str, Any]:
        name = values["line"]
        if not name:
            raise RowError("Enter the name of the line (e.g. Main switchboard).")
        if len(name) > 100:
            raise RowError("The line's name is longer than 100 characters.")
        try:
            period = periods.parse(values["period"])
        except InvalidInput as error:
            raise RowError(error.message) from None
        offered = _whole_number(values, "calls_offered")
        answered = _whole_number(values, "calls_answered")
        within = _whole_number(values, "answered_within_threshold")
        abandoned = _whole_number(values, "abandoned")
        if answered > offered:
            raise RowError(f"More calls answered ({answered}) than offered ({offered}).")
        if within > answered:
            raise RowError(
                f"More calls answered within the threshold ({within}) than answered ({answered})."
            )
        if answered + abandoned > offered:
            raise RowError(
                f"Calls answered ({answered}) and abandoned ({abandoned}) add up to more than "
                f"the calls offered ({offered})."
            )
        earlier = self.seen.setdefault((name.lower(), period.key), line)
        if earlier != line:
            raise RowError(f"{name} for {period.key} is already on line {earlier}.")
        return {
            "line": name,
            "period": period,
            "offered": offered,
            "answered": answered,
            "answered_within_threshold": within,
            "abandoned": abandoned,
        }


class _MysteryShopping:
    def __init__(self, kind: str) -> None:
        self.standards = {
            s.code: s for s in Standard.objects.filter(source=Source.MYSTERY_SHOPPING)
        }

    def row(self, values: dict[str, str], line: int) -> dict[str, Any]:
        check_kind = values["type"].lower()
        if check_kind not in CheckKind.values:
            raise RowError(f"The type must be visit or call, not “{values['type']}”.")
        on = _date(values, "date")
        standard = self.standards.get(values["standard"].lower())
        if standard is None:
            known = ", ".join(sorted(self.standards)) or "none yet"
            raise RowError(
                f"“{values['standard']}” is not a standard monitored by mystery shopping. "
                f"Use one of these codes: {known}."
            )
        met = values["met"].lower()
        if met not in YES | NO:
            raise RowError(f"Met must be yes or no, not “{values['met']}”.")
        return {
            "standard": standard,
            "kind": check_kind,
            "on": on,
            "met": met in YES,
            "notes": values.get("notes", "")[:5000],
        }


class _CorrespondenceSampling:
    def __init__(self, kind: str) -> None:
        pass

    def row(self, values: dict[str, str], line: int) -> dict[str, Any]:
        channel = values["channel"].lower()
        if channel not in ("letter", "email"):
            raise RowError(f"The channel must be letter or email, not “{values['channel']}”.")
        received = _date(values, "received")
        acknowledged = _date(values, "acknowledged", required=False)
        answered = _date(values, "answered", required=False)
        assert received is not None
        for name, day in (("acknowledged", acknowledged), ("answered", answered)):
            if day is not None and day < received:
                raise RowError(f"The {name} date is before the received date.")
        reference = values.get("reference", "")
        if len(reference) > 100:
            raise RowError("The reference is longer than 100 characters.")
        return {
            "reference": reference,
            "channel": channel,
            "received": received,
            "acknowledged": acknowledged,
            "answered": answered,
        }


_CHECKERS: dict[str, Callable[[str], Any]] = {
    Import.Kind.TELEPHONY: _Telephony,
    Import.Kind.MYSTERY_SHOPPING: _MysteryShopping,
    Import.Kind.CORRESPONDENCE_SAMPLING: _CorrespondenceSampling,
}


# -- writing -------------------------------------------------------------------------------


def _write_telephony(upload: Import, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        period = row.pop("period")
        TelephonyRecord.objects.update_or_create(
            line=row["line"],
            period_key=period.key,
            defaults={**row, "start": period.start, "end": period.end, "source_import": upload},
        )


def _write_mystery_shopping(upload: Import, rows: list[dict[str, Any]]) -> None:
    MysteryShopResult.objects.bulk_create(
        [MysteryShopResult(source_import=upload, **row) for row in rows], batch_size=1000
    )


def _write_correspondence_samples(upload: Import, rows: list[dict[str, Any]]) -> None:
    CorrespondenceSample.objects.bulk_create(
        [CorrespondenceSample(source_import=upload, **row) for row in rows], batch_size=1000
    )


_WRITERS: dict[str, Callable[[Import, list[dict[str, Any]]], None]] = {
    Import.Kind.TELEPHONY: _write_telephony,
    Import.Kind.MYSTERY_SHOPPING: _write_mystery_shopping,
    Import.Kind.CORRESPONDENCE_SAMPLING: _write_correspondence_samples,
}
