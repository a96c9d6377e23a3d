"""Presentation of letters on the correspondence screens."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_TAGS = {
    "draft": "govuk-tag--grey",
    "awaiting_check": "govuk-tag--yellow",
    "returned": "govuk-tag--red",
    "approved": "govuk-tag--green",
    "sent": "govuk-tag--blue",
}


@register.filter
def letter_tag(status: str) -> str:
    """The GOV.UK tag colour for a letter's status."""
    return STATUS_TAGS.get(status, "govuk-tag--grey")
