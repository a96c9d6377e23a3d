"""REST API v1 for the organisation's working-day settings."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heard.core.api import StrictSerializer
from heard.org import services
from heard.org.calendars import get_organisation
from heard.org.models import ClosureDay, Organisation

HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@extend_schema_field({"type": "string", "pattern": HHMM.pattern, "example": "17:00"})
class CutoffField(serializers.Field):
    default_error_messages = {"invalid": "Give the cut-off as a 24-hour time HH:MM, e.g. 17:00."}

    def to_internal_value(self, data: Any) -> time:
        match = HHMM.match(str(data).strip()) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        assert match is not None
        return time(int(match.group(1)), int(match.group(2)))

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class OrganisationSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False)
    nation = serializers.ChoiceField(choices=Organisation.NationChoice.choices, required=False)
    timezone = serializers.CharField(max_length=64, required=False, help_text="e.g. Europe/London")
    working_day_cutoff = CutoffField(required=False, help_text='Local time "HH:MM", e.g. "17:00".')
    closure_days = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        max_length=1000,
        help_text="Every closure day (ISO dates); replaces the whole list.",
    )

    def validate_closure_days(self, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("A closure day appears more than once.")
        return value


def _as_json(organisation: Organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "nation": organisation.nation,
        "timezone": organisation.timezone,
        "working_day_cutoff": organisation.working_day_cutoff.strftime("%H:%M"),
        "closure_days": [d.isoformat() for d in ClosureDay.objects.values_list("date", flat=True)],
    }


class OrganisationView(APIView):
    @extend_schema(
        summary="The organisation's working-day settings", responses={200: OrganisationSerializer}
    )
    def get(self, request: Request) -> Response:
        return Response(_as_json(get_organisation()))

    @extend_schema(
        summary="Change the working-day settings (administrators); every open case is re-timed",
        request=OrganisationSerializer,
        responses={200: OrganisationSerializer},
    )
    def patch(self, request: Request) -> Response:
        serializer = OrganisationSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation, retimed = services.update_organisation(
            by=request.user, **serializer.validated_data
        )
        return Response({**_as_json(organisation), "cases_retimed": retimed})
