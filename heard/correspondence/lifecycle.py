"""The one table of what may be done to a letter in each status, and why not otherwise."""

from __future__ import annotations

import enum

from heard.core.errors import TransitionNotAllowed
from heard.correspondence.models import Letter, LetterStatus


class Step(enum.StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    SEND = "send"


S = LetterStatus
ALLOWED_FROM: dict[Step, frozenset[str]] = {
    Step.EDIT: frozenset({S.DRAFT, S.RETURNED}),
    Step.SUBMIT: frozenset({S.DRAFT, S.RETURNED}),
    Step.APPROVE: frozenset({S.AWAITING_CHECK}),
    Step.RETURN: frozenset({S.AWAITING_CHECK}),
    # From a draft only where the stage needs no check; a returned letter goes back for one.
    Step.SEND: frozenset({S.DRAFT, S.APPROVED}),
}

_SENT = "This has been sent; the copy kept on the case cannot change."
_WAITING = "This is waiting for its quality check."
_NOT_WAITING = "Only a letter sent for its quality check can be checked."
REASONS: dict[tuple[Step, str], str] = {
    (Step.EDIT, S.AWAITING_CHECK): f"{_WAITING} Ask the checker to return it if it needs changing.",
    (Step.EDIT, S.APPROVED): (
        "This has been approved and can no longer be changed: send it as approved."
    ),
    (Step.EDIT, S.SENT): _SENT,
    (Step.SUBMIT, S.AWAITING_CHECK): f"{_WAITING} It has already been sent for a check.",
    (Step.SUBMIT, S.APPROVED): "This has already been approved. It can be sent.",
    (Step.SUBMIT, S.SENT): _SENT,
    (Step.APPROVE, S.DRAFT): f"{_NOT_WAITING} This is still a draft.",
    (Step.APPROVE, S.RETURNED): f"{_NOT_WAITING} This was returned to its author.",
    (Step.APPROVE, S.APPROVED): "This has already been approved.",
    (Step.APPROVE, S.SENT): _SENT,
    (Step.RETURN, S.DRAFT): f"{_NOT_WAITING} This is still a draft.",
    (Step.RETURN, S.RETURNED): "This has already been returned to its author.",
    (Step.RETURN, S.APPROVED): "This has already been approved.",
    (Step.RETURN, S.SENT): _SENT,
    (Step.SEND, S.AWAITING_CHECK): f"{_WAITING} It can be sent once it is approved.",
    (Step.SEND, S.RETURNED): (
        "The checker returned this with comments. Change it and send it for a check again."
    ),
    (Step.SEND, S.SENT): "This has already been sent.",
}


def allowed(letter: Letter, step: Step) -> bool:
    return letter.status in ALLOWED_FROM[step]


def check(letter: Letter, step: Step) -> None:
    """Refuse ``step`` with the reason, unless the letter's status allows it."""
    if allowed(letter, step):
        return
    reason = REASONS.get(
        (step, letter.status),
        f"This cannot be done to a letter that is {letter.get_status_display().lower()}.",
    )
    raise TransitionNotAllowed(reason)
