"""Importing an existing action plan from a CSV file, in seed 001's columns.

Every row is checked before anything is written; a file with any bad row imports nothing, and
each bad row is reported by its line with what to put right. A good file's actions are added
to the plan in one transaction, numbered after the plan's last action.

Column names are matched without regard to case, punctuation or a note in brackets, so seed
001's own header row ("Success Factors (from delivery plan)", "Milestone Progress Reports
To:") is read as it is. A file saved from a spreadsheet with tabs between columns is read too.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from heard.core.errors import InvalidInput
from heard.improvement import access, services
from heard.improvement.models import ActionPlan, PlanAction
from heard.reporting.imports import decode

MAX_ROWS = 500

# Heard's field: (what a person calls it, the column names that mean it)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "text": ("Action", ("action", "recommendation", "action or recommendation")),
    "category": ("SPIRIT", ("spirit", "category")),
    "starts_on": ("Start Date", ("start date", "start")),
    "ends_on": (
        "End Date",
        ("end date", "anticipated completion date", "completion date", "end"),
    ),
    "lead_officers": (
        "Lead Officer",
        ("lead officer", "lead officers", "responsibility", "lead"),
    ),
    "outcomes_for_customers": ("Outcomes for Customers", ("outcomes for customers", "outcomes")),
    "success_factors": ("Success Factors", ("success factors",)),
    "risk_reference": (
        "Strategic Risk Register Reference",
        (
            "strategic risk register reference",
            "risk register reference",
            "risk register ref",
            "risk reference",
        ),
    ),
    "reports_to": (
        "Milestone Progress Reports To",
        ("milestone progress reports to", "progress reports to", "reports to"),
    ),
    "elements": ("CSE Elements", ("cse elements", "elements")),
}
REQUIRED = ("text", "lead_officers")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class Result:
    actions: list[PlanAction]
    problems: list[Problem]


def _name(column: str) -> str:
    column = re.sub(r"\([^)]*\)", " ", column.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", column).split())


def _date(text: str, label: str) -> date | None:
    if not text:
        return None
    for layout in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise InvalidInput(f"The {label.lower()} “{text}” is not a date; write it as 31/10/2026.")


def check(content: str) -> tuple[list[tuple[int, services.ActionDetails]], list[Problem]]:
    """Every row checked: the actions ready to add, and every problem found (by line)."""
    first_line = content.splitlines()[0] if content.strip() else ""
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        return [], [Problem(1, "The file has no header row.")]
    fields: dict[str, int] = {}
    for index, column in enumerate(header):
        for field, (_, names) in COLUMNS.items():
            if _name(column) in names and field not in fields:
                fields[field] = index
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in fields]
    if missing:
        expected = ", ".join(label for label, _ in COLUMNS.values())
        return [], [
            Problem(
                1,
                f"The header row has no {' or '.join(missing)} column. The columns Heard reads "
                f"are: {expected}.",
            )
        ]
    rows: list[tuple[int, services.ActionDetails]] = []
    problems: list[Problem] = []
    for record in reader:
        line = reader.line_num
        values = {f: (record[i].strip() if i < len(record) else "") for f, i in fields.items()}
        if not any(values.values()):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(
                Problem(
                    line, f"A plan can be imported {MAX_ROWS} actions at a time; split the file."
                )
            )
            break
        try:
            rows.append((line, _details(values)))
        except InvalidInput as error:
            label = COLUMNS[error.field][0] if error.field in COLUMNS else ""
            problems.append(Problem(line, f"{label}: {error.message}" if label else error.message))
    if not rows and not problems:
        problems.append(Problem(2, "The file has a header row but no actions."))
    return rows, problems


def _details(values: dict[str, str]) -> services.ActionDetails:
    def dated(field: str) -> date | None:
        try:
            return _date(values.get(field, ""), COLUMNS[field][0])
        except InvalidInput as error:
            raise InvalidInput(error.message, field=field) from None

    elements = tuple(
        part.strip()
        for part in values.get("elements", "").replace(";", ",").split(",")
        if part.strip()
    )
    details = services.ActionDetails(
        text=values.get("text", ""),
        lead_officers=values.get("lead_officers", ""),
        category=values.get("category", ""),
        starts_on=dated("starts_on"),
        ends_on=dated("ends_on"),
        outcomes_for_customers=values.get("outcomes_for_customers", ""),
        success_factors=values.get("success_factors", ""),
        risk_reference=values.get("risk_reference", ""),
        reports_to=values.get("reports_to", ""),
        elements=elements,
    )
    services.check_action(details)
    return details


def import_plan(plan: ActionPlan, *, by: Any, raw: bytes) -> Result:
    """Add every action of the file to the plan, or none of them and say which rows are wrong."""
    access.require_edit(by)
    content = decode(raw)
    rows, problems = check(content)
    if problems:
        return Result([], problems)
    return Result(services.add_actions(plan, by=by, details=[d for _, d in rows]), [])
