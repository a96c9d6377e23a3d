"""Template tags for the shared form templates (heard/core/templates/forms)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def options(field: BoundField) -> SafeString:
    """A select's ``<option>`` elements, the current value selected.

    Written here rather than as a loop in the template: a list of twenty services took
    longer to loop over in the template language than the rest of the page took to render.
    """
    chosen = str(field.value() if field.value() is not None else "")
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    " selected" if str(value) == chosen else "",
                    label,
                ),
            )
            for value, label in field.field.choices  # type: ignore[attr-defined]
        ),
    )
