"""The case as JSON, and the input each lifecycle step accepts."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from heard.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Channel,
    Customer,
    Extension,
    Kind,
    Outcome,
    Remedy,
    RemedyKind,
    RepresentativeRole,
    StageRecord,
    Status,
)
from heard.core.api import FieldsBuiltOnce, PastDateTimeField, StrictSerializer
from heard.org.models import Service, ServiceRequestCategory

# -- output ------------------------------------------------------------------------------


class CustomerSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Customer]):
    class Meta:
        model = Customer
        fields = [
            "name",
            "email",
            "phone",
            "address",
            "language",
            "contact_preference",
            "access_formats",
            "access_language",
            "adjustments",
        ]


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer[CaseEvent]):
    actor: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CaseEvent
        fields = ["action", "at", "recorded_at", "actor", "summary", "before", "after"]


class RemedySerializer(FieldsBuiltOnce, serializers.ModelSerializer[Remedy]):
    class Meta:
        model = Remedy
        fields = ["kind", "description", "amount"]


class ExtensionSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Extension]):
    class Meta:
        model = Extension
        fields = [
            "at",
            "reason",
            "previous_date",
            "new_date",
            "customer_told_at",
            "customer_told_how",
        ]


class AttachmentSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Attachment]):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download"]

    def get_download(self, attachment: Attachment) -> str:
        return f"/api/v1/cases/{attachment.case.reference}/attachments/{attachment.pk}"  # type: ignore[union-attr]


class StageRecordSerializer(FieldsBuiltOnce, serializers.ModelSerializer[StageRecord]):
    name = serializers.CharField(source="stage.name")
    handler_role = serializers.CharField(source="stage.handler_role")
    responded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    remedies = RemedySerializer(many=True)
    extensions = ExtensionSerializer(many=True)

    class Meta:
        model = StageRecord
        fields = [
            "number",
            "name",
            "handler_role",
            "requested_at",
            "deemed_received",
            "unresolved",
            "acknowledge_by",
            "respond_by",
            "extended_to",
            "acknowledged_at",
            "responded_at",
            "responded_by",
            "outcome",
            "response_summary",
            "lessons_learned",
            "remedies",
            "extensions",
        ]


class CaseSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Case]):
    stage = serializers.IntegerField(source="stage_number", help_text="The current stage's number.")
    stage_name = serializers.CharField(source="stage.name")
    procedure = serializers.CharField(source="procedure_version.procedure.slug")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    customer = CustomerSerializer()
    representative = CustomerSerializer(allow_null=True)
    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    category: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    assigned_officer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    originated_from: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    became: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, many=True
    )
    overdue = serializers.BooleanField(read_only=True)
    stages = StageRecordSerializer(source="stage_records", many=True)
    attachments = AttachmentSerializer(many=True)
    events = EventSerializer(many=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "kind",
            "channel",
            "stage",
            "stage_name",
            "status",
            "procedure",
            "procedure_version",
            "subject",
            "description",
            "customer",
            "representative",
            "representative_role",
            "service",
            "category",
            "assigned_officer",
            "originated_from",
            "became",
            "received_at",
            "deemed_received",
            "acknowledge_by",
            "respond_by",
            "acknowledged_at",
            "responded_at",
            "closed_at",
            "overdue",
            "stages",
            "attachments",
            "events",
        ]


# What a case's own record holds: the detail without its stages, attachments and action log.
DETAIL_ONLY = ("stages", "attachments", "events")


class CaseSummarySerializer(CaseSerializer):
    """A case in a list: the case itself, with its current stage's dates and status — its
    stages, files and action log are in ``GET /api/v1/cases/{reference}``. Fetching every
    case's log for a page of 50 cost several times the page itself at a million cases."""

    class Meta(CaseSerializer.Meta):
        fields = [f for f in CaseSerializer.Meta.fields if f not in DETAIL_ONLY]


# -- input -------------------------------------------------------------------------------


class CustomerInput(StrictSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CaseCreateInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    procedure = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Slug of the procedure, e.g. council-3-stage; the organisation's default if omitted.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = PastDateTimeField(required=False, help_text="ISO 8601 with offset; default now.")
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    customer = CustomerInput()
    representative = CustomerInput(required=False, allow_null=True)
    representative_role = serializers.ChoiceField(
        choices=RepresentativeRole.choices, required=False, allow_blank=True
    )
    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), required=False, allow_null=True
    )
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ServiceRequestCategory.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a service request: the catalogue entry (its target time sets the deadline).",
    )
    originated_from = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=24,
        help_text="Reference of the service request or dissatisfaction this complaint grew from.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("representative") and not attrs.get("representative_role"):
            raise serializers.ValidationError(
                {
                    "representative_role": [
                        "Say who the representative is (e.g. elected_member, mp, advocate)."
                    ]
                }
            )
        return attrs


class AtInput(StrictSerializer):
    at = PastDateTimeField(
        required=False,
        help_text="When it happened (ISO 8601 with offset); default now. Never in the future.",
    )


class AllocateInput(AtInput):
    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), required=False, allow_null=True
    )
    officer = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="Username."
    )


class ExtendInput(AtInput):
    new_date = serializers.DateField(help_text="The new response date (a working day).")
    reason = serializers.CharField(max_length=20_000)
    customer_told_how = serializers.ChoiceField(
        choices=Channel.choices, help_text="How the customer was told of the new date."
    )
    customer_told_at = PastDateTimeField(required=False)


class RemedyInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=RemedyKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class RespondInput(AtInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    remedies = RemedyInput(many=True, required=False)
    lessons_learned = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class EscalateInput(AtInput):
    unresolved = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20_000,
        help_text="What the customer remains unhappy with (optional: no reason is required).",
    )


class CloseInput(AtInput):
    note = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ReopenInput(AtInput):
    reason = serializers.CharField(max_length=20_000)


class LinkInput(AtInput):
    complaint = serializers.CharField(
        max_length=24, help_text="Reference of the complaint this became."
    )


STATUS_CHOICES = Status.choices
