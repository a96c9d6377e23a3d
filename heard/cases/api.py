"""REST API v1 for cases: thin handlers that validate, call a service, and answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from heard.cases import selectors, services
from heard.cases.models import Case, Kind, Status
from heard.cases.serializers import (
    AllocateInput,
    AtInput,
    CaseCreateInput,
    CaseSerializer,
    CaseSummarySerializer,
    CloseInput,
    EscalateInput,
    ExtendInput,
    LinkInput,
    ReopenInput,
    RespondInput,
)
from heard.core.api import NewestFirstPagination
from heard.core.errors import InvalidInput, NotFound
from heard.org import access
from heard.org.calendars import organisation_calendar

ERRORS = {
    400: OpenApiResponse(description="The input is wrong; each field's message says how."),
    401: OpenApiResponse(description="No token, or a token that is not valid."),
    403: OpenApiResponse(description="Your role or service does not allow this."),
    404: OpenApiResponse(description="No such case that you can see."),
    409: OpenApiResponse(
        description="The case is not in a state where this can be done; the message says why."
    ),
}


class CaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    stage = django_filters.NumberFilter(field_name="stage_number")
    service = django_filters.CharFilter(field_name="service__slug", help_text="Service slug.")
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_overdue",
        help_text="true: open cases past a deadline; false: the rest.",
    )
    assigned_officer = django_filters.CharFilter(
        field_name="assigned_officer__username", help_text="Username."
    )
    received_after = django_filters.DateFilter(
        method="filter_received_after",
        help_text="Received on or after this local date (YYYY-MM-DD).",
    )
    received_before = django_filters.DateFilter(
        method="filter_received_before",
        help_text="Received on or before this local date (YYYY-MM-DD).",
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_overdue(self, cases: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        overdue = selectors.overdue_q(selectors.local_today())
        return cases.filter(overdue) if value == "true" else cases.exclude(overdue)

    def filter_received_after(self, cases: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return cases.filter(received_at__gte=_local_midnight(value))

    def filter_received_before(
        self, cases: QuerySet[Case], name: str, value: Any
    ) -> QuerySet[Case]:
        return cases.filter(received_at__lt=_local_midnight(value + timedelta(days=1)))


def _local_midnight(day: Any) -> datetime:
    zone = organisation_calendar().timezone
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@extend_schema_view(
    list=extend_schema(
        summary="List the cases you can see (each without its stages, files and action log)",
        responses={200: CaseSummarySerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One case, with its stages and action log",
        responses={200: CaseSerializer, **ERRORS},
    ),
)
class CaseViewSet(viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    pagination_class = NewestFirstPagination
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9\-]+"

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator, with no request
            return Case.objects.none()
        return selectors.case_list_for(self.request.user)  # the pagination orders, newest first

    def list(self, request: Request) -> Response:
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(CaseSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, reference: str) -> Response:
        return Response(CaseSerializer(selectors.case_for(request.user, reference)).data)

    @extend_schema(
        summary="Record a new contact",
        request=CaseCreateInput,
        responses={201: CaseSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _valid(CaseCreateInput, request)
        origin = None
        if data.get("originated_from"):
            origin = _other_case(request, data["originated_from"], "originated_from")
        case = services.create_case(
            by=request.user,
            kind=data["kind"],
            channel=data["channel"],
            subject=data["subject"],
            description=data.get("description", ""),
            customer=services.CustomerDetails(**data["customer"]),
            procedure=data.get("procedure") or None,
            received_at=data.get("received_at"),
            service=data.get("service"),
            representative=services.CustomerDetails(**data["representative"])
            if data.get("representative")
            else None,
            representative_role=data.get("representative_role", ""),
            originated_from=origin,
            category=data.get("category"),
        )
        body = CaseSerializer(selectors.as_recorded(case)).data
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/cases/{case.reference}"},
        )

    @extend_schema(
        summary="Acknowledge the current stage",
        request=AtInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            AtInput,
            lambda case, d: services.acknowledge(case, by=request.user, at=d.get("at")),
        )

    @extend_schema(
        summary="Allocate to a service and/or officer",
        request=AllocateInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, reference: str) -> Response:
        def run(case: Case, d: dict[str, Any]) -> Case:
            officer = None
            if d.get("officer"):
                officer = get_user_model().objects.filter(username=d["officer"]).first()
                if officer is None:
                    raise InvalidInput(
                        f"There is no member of staff with the username '{d['officer']}'.",
                        field="officer",
                    )
            return services.allocate(
                case, by=request.user, service=d.get("service"), officer=officer, at=d.get("at")
            )

        return self._step(request, reference, AllocateInput, run)

    @extend_schema(
        summary="Extend the response date",
        request=ExtendInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            ExtendInput,
            lambda case, d: services.extend(
                case,
                by=request.user,
                new_date=d["new_date"],
                reason=d["reason"],
                customer_told_how=d["customer_told_how"],
                customer_told_at=d.get("customer_told_at"),
                at=d.get("at"),
            ),
        )

    @extend_schema(
        summary="Record the stage's response and outcome",
        request=RespondInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            RespondInput,
            lambda case, d: services.respond(
                case,
                by=request.user,
                outcome=d.get("outcome", ""),
                summary=d.get("summary", ""),
                remedies=[services.RemedyDetails(**r) for r in d.get("remedies", [])],
                lessons_learned=d.get("lessons_learned", ""),
                at=d.get("at"),
            ),
        )

    @extend_schema(
        summary="Escalate to the next stage",
        request=EscalateInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            EscalateInput,
            lambda case, d: services.escalate(
                case, by=request.user, unresolved=d.get("unresolved", ""), at=d.get("at")
            ),
        )

    @extend_schema(
        summary="Close the case", request=CloseInput, responses={200: CaseSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            CloseInput,
            lambda case, d: services.close(
                case, by=request.user, note=d.get("note", ""), at=d.get("at")
            ),
        )

    @extend_schema(
        summary="Reopen a closed case",
        request=ReopenInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            ReopenInput,
            lambda case, d: services.reopen(
                case, by=request.user, reason=d["reason"], at=d.get("at")
            ),
        )

    @extend_schema(
        summary="Link this service request or dissatisfaction to the complaint it became",
        request=LinkInput,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, reference: str) -> Response:
        return self._step(
            request,
            reference,
            LinkInput,
            lambda case, d: services.link_to_complaint(
                case,
                by=request.user,
                complaint=_other_case(request, d["complaint"], "complaint"),
                at=d.get("at"),
            ),
        )

    @extend_schema(
        summary="Download one of the case's attachments",
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request: Request, reference: str, attachment_id: str) -> FileResponse:
        case = access.access_case(request.user, reference)
        attachment = case.attachments.filter(pk=int(attachment_id)).first()
        if attachment is None:
            raise NotFound("There is no such attachment on this case.")
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    def _step(
        self,
        request: Request,
        reference: str,
        input_class: type[Serializer],
        run: Callable[[Case, dict[str, Any]], Case],
    ) -> Response:
        case = access.access_case(request.user, reference)
        data = _valid(input_class, request)
        run(case, data)
        # Shown even if the step took the case out of the user's sight (e.g. escalated away).
        return Response(CaseSerializer(selectors.case_detail(case.reference)).data)


def _valid(input_class: type[Serializer], request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise InvalidInput("Send a JSON object.")
    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _other_case(request: Request, reference: str, field: str) -> Case:
    try:
        return access.access_case(request.user, reference)
    except Exception as error:
        raise InvalidInput(
            f"There is no case {reference} that you can see.", field=field
        ) from error
