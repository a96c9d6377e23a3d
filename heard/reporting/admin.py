"""The standards register in the administration screens. Measurements come from case data and
imports (staff reports pages), never typed in here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest

from heard.reporting.models import MEASURES_BY_SOURCE, Measure, Source, Standard


class StandardForm(ModelForm):
    class Meta:
        model = Standard
        fields = (
            "code",
            "name",
            "channel",
            "measure",
            "threshold",
            "target_percent",
            "monitoring",
            "frequency",
            "source",
            "position",
            "active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, measure = data.get("source"), data.get("measure")
        if source and measure and measure not in MEASURES_BY_SOURCE[source]:
            allowed = ", ".join(Measure(m).label.lower() for m in MEASURES_BY_SOURCE[source])
            raise ValidationError(
                f"{Source(source).label} can measure only: {allowed}.", code="measure"
            )
        if measure in (Measure.ACKNOWLEDGED_WITHIN, Measure.ANSWERED_WITHIN) and not data.get(
            "threshold"
        ):
            self.add_error("threshold", "Give the number of working days, e.g. 5.")
        return data


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin[Standard]):
    form = StandardForm
    list_display = ("name", "channel", "measure", "threshold", "target_percent", "source", "active")
    list_filter = ("source", "channel", "active")
    search_fields = ("name", "code")
    ordering = ("position", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Standards with measurements are kept; switch them off with "active" instead.
        return bool(obj is None or not obj.checks.exists()) and super().has_delete_permission(
            request, obj
        )
