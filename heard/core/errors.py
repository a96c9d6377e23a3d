"""Domain errors: exceptions that carry a message a person can act on.

Services raise them; the API maps them to HTTP answers in one place
(:func:`heard.core.api.exception_handler`) and pages turn them into form errors.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class. ``field`` names the input the message is about, if any."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The request itself is wrong (a date in the future, an unknown procedure...)."""


class TransitionNotAllowed(DomainError):
    """The case is not in a state where this step can be taken."""

    status_code = 409
    code = "transition_not_allowed"


class NotPermitted(DomainError):
    """The user's role or service does not allow this."""

    status_code = 403
    code = "permission_denied"


class NotFound(DomainError):
    """No such object, or none the user may see (the two are not told apart)."""

    status_code = 404
    code = "not_found"
