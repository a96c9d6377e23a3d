"""The self-assessment against the complaint handling code for the procedure in use.

Each code is a checklist of sections, each with the code's requirements in brief. Where the
figures can show whether a requirement is met (answers within the code's timescales,
extensions, escalation, remedies, lessons), the organisation's evidence is filled in from the
figures of the period; everything else is the organisation's commentary, written per section.
The requirements are summarised, not quoted: the published code is the authority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heard.org.calendars import get_organisation
from heard.reporting import figures
from heard.reporting.figures import StageFigures
from heard.reporting.models import SelfAssessmentComment


@dataclass(frozen=True)
class Item:
    requirement: str
    evidence: str = ""  # the key of a figure in ``evidence()``, or empty for commentary only


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Code:
    key: str
    name: str
    sections: tuple[Section, ...]


_OMBUDSMAN_SECTIONS = (
    Section(
        "definitions",
        "1. Definition of a complaint",
        (
            Item("An expression of dissatisfaction is treated as a complaint, however made."),
            Item("Service requests are told apart from complaints, and recorded.", "volumes"),
        ),
    ),
    Section(
        "exclusions",
        "2. Exclusions",
        (Item("A complaint is refused only for a reason in the published policy, and explained."),),
    ),
    Section(
        "accessibility",
        "3. Accessibility and awareness",
        (
            Item(
                "Complaints can be made in any way, and reasonable adjustments are made.",
                "channels",
            ),
            Item("The policy is published and the ombudsman's role is publicised."),
        ),
    ),
    Section(
        "staff",
        "4. Complaint handling staff",
        (
            Item(
                "A member of staff is accountable for complaint handling, with the authority to resolve complaints."
            ),
        ),
    ),
    Section(
        "process",
        "5. The complaint handling process",
        (
            Item("A two-stage process; no extra stages.", "stages"),
            Item("Complaints are acknowledged within 5 working days.", "acknowledged"),
            Item(
                "Extensions are agreed with the resident and used only where needed.", "extensions"
            ),
        ),
    ),
    Section(
        "stages",
        "6. Complaint stages",
        (
            Item("Stage 1 answered within 10 working days of the acknowledgement.", "stage_1"),
            Item("Stage 2 answered within 20 working days of the acknowledgement.", "stage_2"),
            Item(
                "Escalation to stage 2 is not refused and is handled by someone else.", "escalated"
            ),
        ),
    ),
    Section(
        "remedies",
        "7. Putting things right",
        (Item("Where something went wrong, it is acknowledged and put right.", "remedies"),),
    ),
    Section(
        "reporting",
        "8. Self-assessment, reporting and compliance",
        (
            Item(
                "An annual complaints performance and service improvement report is published.",
                "annual",
            ),
            Item("This self-assessment is reviewed each year and reported to the governing body."),
        ),
    ),
    Section(
        "learning",
        "9. Scrutiny and oversight: continuous learning and improvement",
        (Item("Lessons are learned from complaints and services improved.", "lessons"),),
    ),
)

CODES: dict[str, Code] = {
    "hos-2024": Code(
        "hos-2024", "Housing Ombudsman Complaint Handling Code (2024)", _OMBUDSMAN_SECTIONS
    ),
    "lgsco": Code(
        "lgsco",
        "Local Government and Social Care Ombudsman Complaint Handling Code",
        _OMBUDSMAN_SECTIONS,
    ),
    "spso": Code(
        "spso",
        "SPSO model complaints handling procedure",
        (
            Section(
                "accessibility",
                "Accessibility and awareness",
                (
                    Item(
                        "Complaints can be made in person, by phone, in writing or online.",
                        "channels",
                    ),
                ),
            ),
            Section(
                "stage_1",
                "Stage 1: frontline response",
                (
                    Item(
                        "Stage 1 answered within 5 working days (10 with an extension).", "stage_1"
                    ),
                    Item("Extensions are used only in exceptional circumstances.", "extensions"),
                ),
            ),
            Section(
                "stage_2",
                "Stage 2: investigation",
                (
                    Item("Acknowledged within 3 working days.", "acknowledged"),
                    Item("Answered within 20 working days.", "stage_2"),
                ),
            ),
            Section(
                "remedies",
                "Outcomes and remedies",
                (Item("Where something went wrong, it is put right.", "remedies"),),
            ),
            Section(
                "learning",
                "Recording, reporting, learning and publicising",
                (
                    Item(
                        "Performance against the indicators is reported quarterly and published annually.",
                        "annual",
                    ),
                    Item("Learning from complaints is recorded and acted on.", "lessons"),
                ),
            ),
        ),
    ),
}

# The code each shipped procedure follows; any other procedure is assessed against the LGSCO code.
CODE_OF_PROCEDURE = {"hos-code-2024": "hos-2024", "lgsco-code": "lgsco", "spso-mchp": "spso"}


def code_in_use() -> Code:
    procedure = get_organisation().complaint_procedure
    return CODES[CODE_OF_PROCEDURE.get(procedure.slug if procedure else "", "lgsco")]


def _stage(stages: list[StageFigures], number: int) -> StageFigures | None:
    return next((s for s in stages if s.stage == number), None)


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:.1f}%"


def evidence(report: dict[str, Any]) -> dict[str, str]:
    """The organisation's evidence, as sentences, from the figures of the period."""
    stages: list[StageFigures] = report["stages"]
    total: StageFigures = report["stage_total"]
    volumes: figures.Volumes = report["volumes"]
    remedies: figures.Remedies = report["remedies"]
    result = {
        "volumes": (
            f"{volumes.total} contacts recorded: {volumes.complaints} complaints, "
            f"{volumes.total - volumes.complaints} other contacts."
        ),
        "channels": "Complaints received by "
        + (
            ", ".join(
                f"{channel} ({count})" for channel, count in sorted(volumes.by_channel.items())
            )
            or "no channel"
        )
        + ".",
        "stages": f"Stages used in the period: {', '.join(str(s.stage) for s in stages) or 'none'}.",
        "acknowledged": (
            f"{total.acknowledged_in_time} of {total.acknowledgements_due} acknowledged within the "
            f"target ({_pct(total.percent_acknowledged_in_time)})."
        ),
        "extensions": (
            f"{total.extended} extension{'s' if total.extended != 1 else ''} used on "
            f"{total.answered} answers; {_pct(total.percent_answered_within_extension)} answered "
            "within the target or an agreed extension."
        ),
        "escalated": f"{_pct(total.percent_escalated)} of answers escalated to the next stage.",
        "remedies": (
            f"£{remedies.financial_total:,.2f} paid in {remedies.financial_count} awards; "
            f"{remedies.apologies} apologies; {remedies.actions} actions to put things right. "
            f"Upheld in whole or part: {_pct(total.percent_upheld)}."
        ),
        "annual": "The annual report for this period is produced by Heard from the same figures.",
        "lessons": f"{report.get('lessons_count', 0)} responses recorded a lesson learned.",
    }
    for number in (1, 2):
        stage = _stage(stages, number)
        result[f"stage_{number}"] = (
            f"Stage {number}: {stage.answered_in_time} of {stage.answered} answered within the "
            f"target ({_pct(stage.percent_answered_in_time)}); {stage.extended} extended; "
            f"average {stage.mean_working_days if stage.mean_working_days is not None else 'no data'} "
            "working days."
            if stage
            else f"No stage {number} answers in the period."
        )
    return result


@dataclass
class Assessment:
    code: Code
    rows: list[dict[str, Any]] = field(default_factory=list)


def assess(code: Code, report: dict[str, Any], period_key: str) -> Assessment:
    """The checklist with the evidence filled in and the commentary written so far."""
    found = evidence(report)
    comments = {
        c.section: c
        for c in SelfAssessmentComment.objects.filter(code=code.key, period_key=period_key)
    }
    assessment = Assessment(code)
    for section in code.sections:
        assessment.rows.append(
            {
                "section": section,
                "items": [
                    {"requirement": item.requirement, "evidence": found.get(item.evidence, "")}
                    for item in section.items
                ],
                "comment": comments.get(section.key),
            }
        )
    return assessment


def csv_rows(assessment: Assessment, period_key: str) -> list[list[Any]]:
    rows: list[list[Any]] = [["period", "code", "section", "requirement", "evidence", "commentary"]]
    for row in assessment.rows:
        commentary = row["comment"].commentary if row["comment"] else ""
        for item in row["items"]:
            rows.append(
                [
                    period_key,
                    assessment.code.name,
                    row["section"].title,
                    item["requirement"],
                    item["evidence"],
                    commentary,
                ]
            )
    return rows
