"""The procedures Heard ships with (DOMAIN.md §3). Loaded by a data migration.

Administrators may edit them: editing publishes a new version and every case keeps the
version it began under.
"""

from __future__ import annotations

from typing import Any

A, E, R = "acknowledgement", "escalation_request", "receipt"

PRESETS: list[dict[str, Any]] = [
    {
        "slug": "council-3-stage",
        "name": "Council three-stage complaints procedure",
        "description": (
            "Stage 1 answered by the service's line manager; stage 2 a review by the head of "
            "service; stage 3 an independent review by the central complaints team or the "
            "customer panel. The customer need only say what they remain unhappy with."
        ),
        "independent_review": False,
        "stages": [
            ("Line manager response", 5, R, 10, R, 10, "investigating_officer"),
            ("Review by head of service", 5, E, 20, E, 20, "head_of_service"),
            ("Independent review", 5, E, 20, E, 20, "complaints_team"),
        ],
        # Seed 001: letters answering stages 1 and 2 are checked by a second person.
        "quality_check": (1, 2),
    },
    {
        "slug": "hos-code-2024",
        "name": "Housing Ombudsman Complaint Handling Code 2024",
        "description": (
            "Stage 1: acknowledge within 5 working days of receipt, respond within 10 working "
            "days of the acknowledgement, extension of up to 10 more. Stage 2: acknowledge "
            "within 5 working days of the escalation request, respond within 20 working days "
            "of the acknowledgement, extension of up to 20 more. The stage 2 handler must not "
            "be the stage 1 handler."
        ),
        "independent_review": True,
        "stages": [
            ("Stage 1", 5, R, 10, A, 10, "investigating_officer"),
            ("Stage 2", 5, E, 20, A, 20, "complaints_team"),
        ],
    },
    {
        "slug": "lgsco-code",
        "name": "LGSCO Complaint Handling Code",
        "description": (
            "The Local Government and Social Care Ombudsman's code, which mirrors the Housing "
            "Ombudsman's: stage 1 acknowledged in 5 and answered in 10 working days of the "
            "acknowledgement (extension up to 10); stage 2 acknowledged in 5 working days of "
            "the escalation request and answered in 20 of the acknowledgement (extension up "
            "to 20)."
        ),
        "independent_review": True,
        "stages": [
            ("Stage 1", 5, R, 10, A, 10, "investigating_officer"),
            ("Stage 2", 5, E, 20, A, 20, "complaints_team"),
        ],
    },
    {
        "slug": "spso-mchp",
        "name": "SPSO model complaints handling procedure (Scotland)",
        "description": (
            "Stage 1 frontline response within 5 working days (extendable to 10); stage 2 "
            "investigation acknowledged within 3 working days and answered within 20."
        ),
        "independent_review": False,
        "stages": [
            ("Frontline response", None, R, 5, R, 5, "front_line_officer"),
            ("Investigation", 3, E, 20, E, 20, "investigating_officer"),
        ],
    },
    {
        "slug": "correspondence-standard",
        "name": "Customer service standard for correspondence",
        "description": (
            "Letters and emails acknowledged within 5 working days of receipt and fully "
            "answered within 10, or the customer told how their enquiry is progressing. Used "
            "for compliments, comments, suggestions, service requests and enquiries."
        ),
        "independent_review": False,
        "stages": [
            ("Response", 5, R, 10, R, 10, "front_line_officer"),
        ],
    },
    # Seed 002: social and health care complaints follow their own statutory procedures.
    # Triage sends them here through routing rules (heard.cases.models.RoutingRule).
    {
        "slug": "adult-social-care-statutory",
        "name": "Adult social care statutory complaints procedure (England, 2009 regulations)",
        "description": (
            "The Local Authority Social Services and National Health Service Complaints "
            "(England) Regulations 2009: one local stage. Acknowledge within 3 working days; "
            "respond within the period agreed with the complainant (25 working days unless "
            "agreed otherwise), and in any case within six months, then the Local Government "
            "and Social Care Ombudsman."
        ),
        "independent_review": False,
        "stages": [
            ("Local resolution", 3, R, 25, R, 100, "complaints_team"),
        ],
    },
    {
        "slug": "children-social-care-statutory",
        "name": "Children's social care statutory complaints procedure (Children Act 1989)",
        "description": (
            "The Children Act 1989 Representations Procedure (England) Regulations 2006. "
            "Stage 1 local resolution within 10 working days (up to 20); stage 2 "
            "investigation within 25 working days (up to 65); stage 3 review panel held "
            "within 30 working days of the request. Each stage is acknowledged within 3 "
            "working days; stages 2 and 3 are independent of the earlier ones."
        ),
        "independent_review": True,
        "stages": [
            ("Local resolution", 3, R, 10, R, 10, "investigating_officer"),
            ("Investigation", 3, E, 25, E, 40, "complaints_team"),
            ("Review panel", 3, E, 30, E, 0, "panel_member"),
        ],
    },
]

STAGE_FIELDS = (
    "name",
    "acknowledge_days",
    "acknowledge_counted_from",
    "respond_days",
    "respond_counted_from",
    "max_extension_days",
    "handler_role",
)


def load_presets(procedure_model: Any, version_model: Any, stage_model: Any, now: Any) -> None:
    """Create any preset procedure that does not exist yet, as published version 1."""
    for preset in PRESETS:
        procedure, created = procedure_model.objects.get_or_create(
            slug=preset["slug"],
            defaults={
                "name": preset["name"],
                "description": preset["description"],
                "independent_review": preset["independent_review"],
                "is_preset": True,
            },
        )
        if not created:
            continue
        version = version_model.objects.create(
            procedure=procedure, number=1, published_at=now, notes="As shipped with Heard."
        )
        checked = preset.get("quality_check", ())
        for number, row in enumerate(preset["stages"], start=1):
            fields = dict(zip(STAGE_FIELDS, row, strict=True))
            if _has_field(stage_model, "quality_check"):
                fields["quality_check"] = number in checked
            stage_model.objects.create(version=version, number=number, **fields)


def _has_field(model: Any, name: str) -> bool:
    """Early migrations load presets with a historical Stage that lacks later fields."""
    return any(field.name == name for field in model._meta.get_fields())
