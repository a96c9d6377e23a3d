"""What Heard ships: a starting taxonomy (organisations edit it in the admin) and the message
the head of service receives about an early warning. Loaded by migrations and by tests."""

from __future__ import annotations

from typing import Any

THEMES: list[tuple[str, str, str]] = [
    (
        "missed-bin-collection",
        "Missed bin collection",
        "Household waste or recycling not collected",
    ),
    ("staff-attitude", "Staff attitude", "How a member of staff behaved or spoke"),
    ("communication", "Communication", "Not kept informed, no reply, unclear information"),
    ("delay", "Delay", "Something took too long or a date was missed"),
    ("policy", "Policy", "Disagreement with a policy or decision"),
    ("repairs", "Repairs", "Housing or property repairs not done or done badly"),
    ("roads-and-pavements", "Roads and pavements", "Potholes, pavements, street lighting"),
    ("noise-and-nuisance", "Noise and nuisance", "Noise, anti-social behaviour, neighbours"),
    ("council-tax-and-benefits", "Council tax and benefits", "Bills, payments, benefits"),
    ("parking", "Parking", "Parking enforcement, permits, penalty charges"),
    ("planning", "Planning", "Planning applications and enforcement"),
    ("accessibility", "Accessibility", "Access needs not met, reasonable adjustments"),
]

ROOT_CAUSES: list[tuple[str, str, str]] = [
    ("process", "Process", "The way the work is organised let the customer down"),
    ("people", "People", "Training, behaviour or capacity of staff"),
    ("policy", "Policy", "The policy itself caused the problem"),
    ("system", "System", "An IT system or record was wrong or failed"),
    ("third-party", "Third party", "A contractor or partner organisation"),
    ("no-fault", "No fault found", "The service was delivered as it should have been"),
]

EARLY_WARNING_TEMPLATE = "early_warning"
EARLY_WARNING_SUBJECT = "Early warning: more contacts about {{ label }} than usual"
EARLY_WARNING_BODY = """Dear {{ head_name }},

Heard has noticed a rise in contacts about {{ label }}.

{{ explanation }}

The cases behind it:
{% for line in cases %}- {{ line }}
{% endfor %}
Please look at the early warning in Heard and acknowledge or dismiss it:
{{ url }}

{{ organisation }}
"""


def load_taxonomy(theme_model: Any, root_cause_model: Any) -> None:
    """Add the shipped themes and root causes that are missing (never changes edited ones)."""
    for position, (slug, name, description) in enumerate(THEMES):
        theme_model.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position * 10},
        )
    for position, (slug, name, description) in enumerate(ROOT_CAUSES):
        root_cause_model.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position * 10},
        )


def load_message_template(message_template_model: Any) -> None:
    message_template_model.objects.get_or_create(
        key=EARLY_WARNING_TEMPLATE,
        channel="email",
        language="en",
        defaults={"subject": EARLY_WARNING_SUBJECT, "body": EARLY_WARNING_BODY},
    )


def ensure_defaults() -> None:
    """Put the shipped rows back (a transactional test may have emptied the tables)."""
    from heard.learning.models import RootCause, Theme
    from heard.notify.models import MessageTemplate

    load_taxonomy(Theme, RootCause)
    load_message_template(MessageTemplate)
