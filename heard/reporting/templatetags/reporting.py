"""Small display helpers for the reporting pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}
NO_DATA = "\u2013"  # an en dash
LABELS = {"green": "Met", "amber": "Just missed", "red": "Missed", "none": "No data"}


@register.filter
def pct(value: Any) -> str:
    """A percentage with one decimal place, or a dash for no data (or the published wording)."""
    if value is None or value == "":
        return NO_DATA
    if isinstance(value, str):
        return value
    return f"{value:.1f}%"


@register.filter
def money(value: Any) -> str:
    try:
        return f"£{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def dash(value: Any) -> Any:
    return NO_DATA if value is None else value


@register.inclusion_tag("reporting/_rag.html")
def rag(status: str) -> dict[str, str]:
    return {"css": TAGS.get(status, "govuk-tag--grey"), "label": LABELS.get(status, "No data")}


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def band_bars(bands: dict[str, int]) -> list[dict[str, Any]]:
    """Bars of the working-days distribution, as widths (%) of the largest band."""
    largest = max(bands.values(), default=0)
    return [
        {
            "label": f"{band} days",
            "width": round(100 * count / largest, 1) if largest else 0,
            "text": str(count),
        }
        for band, count in bands.items()
    ]


@register.simple_tag
def trend_bars(trend: list[Any]) -> list[dict[str, Any]]:
    """Bars of a standard's result in each period, as widths on a 0 to 100% scale."""
    return [
        {"label": m.period.label, "width": m.percent or 0, "text": pct(m.percent)} for m in trend
    ]
