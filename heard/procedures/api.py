"""REST API v1: the procedures cases can follow (read-only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from heard.procedures.models import Procedure, Stage


class StageSerializer(serializers.ModelSerializer[Stage]):
    class Meta:
        model = Stage
        fields = [
            "number",
            "name",
            "acknowledge_days",
            "acknowledge_counted_from",
            "respond_days",
            "respond_counted_from",
            "max_extension_days",
            "handler_role",
        ]


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    version = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["slug", "name", "description", "independent_review", "version", "stages"]

    def get_version(self, procedure: Procedure) -> int:
        return procedure.current_version().number

    def get_stages(self, procedure: Procedure) -> list[dict[str, Any]]:
        return StageSerializer(procedure.current_version().stages.all(), many=True).data  # type: ignore[return-value]


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Procedure.objects.filter(versions__published_at__isnull=False).distinct().order_by("slug")
    )
    serializer_class = ProcedureSerializer
    lookup_field = "slug"
    pagination_class = None
