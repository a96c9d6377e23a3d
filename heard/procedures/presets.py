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
        for number, row in enumerate(preset["stages"], start=1):
            stage_model.objects.create(
                version=version, number=number, **dict(zip(STAGE_FIELDS, row, strict=True))
            )
