"""The one table of allowed transitions. Every service consults it; nothing else decides.

A step that is not allowed is refused with a message that says why and, where there is
one, what to do instead.
"""

from __future__ import annotations

import enum

from heard.cases.models import Case, Kind, Status
from heard.core.errors import TransitionNotAllowed


class Step(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ALLOCATE = "allocate"
    EXTEND = "extend"
    RESPOND = "respond"
    ESCALATE = "escalate"
    CLOSE = "close"
    REOPEN = "reopen"
    LINK = "link"


S = Status
ALLOWED_FROM: dict[Step, frozenset[str]] = {
    Step.ACKNOWLEDGE: frozenset({S.RECEIVED}),
    Step.ALLOCATE: frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.RESPONDED}),
    Step.EXTEND: frozenset({S.RECEIVED, S.ACKNOWLEDGED}),
    Step.RESPOND: frozenset({S.RECEIVED, S.ACKNOWLEDGED}),
    Step.ESCALATE: frozenset({S.RESPONDED, S.CLOSED}),
    Step.CLOSE: frozenset({S.RESPONDED}),
    Step.REOPEN: frozenset({S.CLOSED}),
    Step.LINK: frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.RESPONDED, S.CLOSED}),
}

# Why a step is refused from a status, where a generic sentence would not help.
REASONS: dict[tuple[Step, str], str] = {
    (Step.ACKNOWLEDGE, S.ACKNOWLEDGED): "This case has already been acknowledged.",
    (Step.ACKNOWLEDGE, S.RESPONDED): "This case has already been answered at this stage.",
    (Step.ACKNOWLEDGE, S.CLOSED): "A closed case cannot be acknowledged. Reopen it first.",
    (Step.ALLOCATE, S.CLOSED): "A closed case cannot be allocated. Reopen it first.",
    (Step.EXTEND, S.RESPONDED): "The response has been sent; there is no deadline left to extend.",
    (Step.EXTEND, S.CLOSED): "A closed case has no deadline to extend.",
    (Step.RESPOND, S.RESPONDED): (
        "This stage has already been answered. Escalate the case if the customer remains "
        "unhappy, or close it."
    ),
    (Step.RESPOND, S.CLOSED): "A closed case cannot be answered. Reopen it first.",
    (Step.ESCALATE, S.RECEIVED): (
        "This stage has not been answered yet. Respond to it (or record it as withdrawn) "
        "before escalating to the next stage."
    ),
    (Step.ESCALATE, S.ACKNOWLEDGED): (
        "This stage has not been answered yet. Respond to it (or record it as withdrawn) "
        "before escalating to the next stage."
    ),
    (
        Step.CLOSE,
        S.RECEIVED,
    ): "This case has not been answered yet. Respond to it before closing it.",
    (
        Step.CLOSE,
        S.ACKNOWLEDGED,
    ): "This case has not been answered yet. Respond to it before closing it.",
    (Step.CLOSE, S.CLOSED): "This case is already closed.",
    (Step.REOPEN, S.RECEIVED): "Only a closed case can be reopened; this one is still open.",
    (Step.REOPEN, S.ACKNOWLEDGED): "Only a closed case can be reopened; this one is still open.",
    (Step.REOPEN, S.RESPONDED): "Only a closed case can be reopened; this one has not been closed.",
}

ESCALATABLE_KINDS = frozenset({Kind.COMPLAINT})


def allowed(case: Case, step: Step) -> bool:
    return case.status in ALLOWED_FROM[step]


def check(case: Case, step: Step) -> None:
    """Raise TransitionNotAllowed, with the reason, unless ``step`` may be taken now."""
    if step is Step.ESCALATE and case.kind not in ESCALATABLE_KINDS:
        raise TransitionNotAllowed(
            f"Only complaints move through the stages of a procedure. If the customer is "
            f"unhappy with how this {case.get_kind_display().lower()} was handled, log a "
            f"complaint that links to {case.reference}."
        )
    if allowed(case, step):
        return
    reason = REASONS.get((step, case.status))
    if reason is None:
        reason = f"A case that is {case.get_status_display().lower()} cannot be {_past(step)}."
    raise TransitionNotAllowed(reason)


def available_steps(case: Case) -> list[Step]:
    """The steps the case's state allows now (before any role check)."""
    steps = [step for step in Step if allowed(case, step)]
    if case.kind not in ESCALATABLE_KINDS and Step.ESCALATE in steps:
        steps.remove(Step.ESCALATE)
    return steps


def _past(step: Step) -> str:
    return {
        Step.ACKNOWLEDGE: "acknowledged",
        Step.ALLOCATE: "allocated",
        Step.EXTEND: "extended",
        Step.RESPOND: "answered",
        Step.ESCALATE: "escalated",
        Step.CLOSE: "closed",
        Step.REOPEN: "reopened",
        Step.LINK: "linked",
    }[step]
