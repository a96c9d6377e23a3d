"""Mailboxes, Open311 clients, what came in and old cases imported, in the admin screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import pluralize
from django.utils.html import format_html, format_html_join

from heard.channels import legacy
from heard.channels.models import (
    CallRecord,
    InboundEmail,
    LegacyImport,
    Mailbox,
    Open311Attribute,
    Open311Client,
    Open311Update,
)
from heard.core.errors import InvalidInput


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "address",
        "service",
        "imap_host",
        "active",
        "last_fetched_at",
        "last_result",
    )
    readonly_fields = ("next_fetch_at", "last_fetched_at", "last_result")


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "sender", "subject", "outcome", "case")
    list_filter = ("outcome", "arrived_by", "mailbox")
    search_fields = ("sender", "subject", "message_id")
    readonly_fields = [f.name for f in InboundEmail._meta.fields]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "last_used_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")


@admin.register(Open311Attribute)
class Open311AttributeAdmin(admin.ModelAdmin):
    list_display = ("category", "order", "code", "datatype", "required")
    list_filter = ("category",)


@admin.register(Open311Update)
class Open311UpdateAdmin(admin.ModelAdmin):
    list_display = ("received_at", "case", "client", "status", "client_update_id")
    list_filter = ("client", "status")
    readonly_fields = [f.name for f in Open311Update._meta.fields]

    # What a client sent stays as sent: it is on the case's timeline.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Open311Update | None = None) -> bool:
        return False


@admin.register(CallRecord)
class CallRecordAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "line",
        "caller_number",
        "answered",
        "voicemail",
        "call_back_by",
        "called_back_at",
    )
    list_filter = ("line", "voicemail", "source")


class LegacyImportForm(forms.ModelForm):
    """The upload page: the file, optionally its mapping, and whether only to check it."""

    file = forms.FileField(
        label="Cases file (CSV)",
        help_text="Comma-separated, with a header row: Heard's columns, or the old system's "
        "with a mapping file. At most 50 MB.",
        error_messages={
            "required": "Choose the CSV file of old cases.",
            "empty": "The file is empty.",
        },
    )
    mapping_file = forms.FileField(
        label="Mapping file (optional)",
        required=False,
        help_text="TOML or JSON saying which of the file's columns holds each of Heard's fields, "
        "as in docs/legacy-mapping-cfpb.toml. Leave empty if the columns are Heard's.",
    )

    class Meta:
        model = LegacyImport
        fields = ("dry_run",)
        labels = {"dry_run": "Check only (dry run)"}
        help_texts = {
            "dry_run": "Check every row and list any that need correcting; import nothing."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: dict[str, str] = {}

    def clean_file(self) -> str:
        return self._text("file", legacy.MAX_UPLOAD_BYTES)

    def clean_mapping_file(self) -> str:
        upload = self.cleaned_data.get("mapping_file")
        if not upload:
            return ""
        if not upload.name.lower().endswith(legacy.MAPPING_SUFFIXES):
            raise ValidationError(
                "The mapping file must be TOML (.toml) or JSON (.json), like "
                "docs/legacy-mapping-cfpb.toml."
            )
        text = self._text("mapping_file", legacy.MAX_MAPPING_BYTES)
        try:
            legacy.read_mapping(text, name=upload.name)
        except InvalidInput as problem:
            raise ValidationError(problem.message) from problem
        return text

    def _text(self, name: str, limit: int) -> str:
        upload = self.cleaned_data[name]
        self.names[name] = upload.name
        if upload.size > limit:
            # Refused before reading it all into memory.
            raise ValidationError(legacy.oversize_message(limit))
        try:
            return legacy.decode_upload(upload.read(), limit=limit, field=name)
        except InvalidInput as problem:
            raise ValidationError(problem.message) from problem


@admin.register(LegacyImport)
class LegacyImportAdmin(admin.ModelAdmin[LegacyImport]):
    """Old cases uploaded here are imported by the worker; each run shows its progress and result.

    A run is a record of what happened, so it cannot be changed once queued.
    """

    form = LegacyImportForm
    list_display = ("started_at", "name", "dry_run", "status", "progress", "result")
    list_filter = ("status", "dry_run")
    shown = (
        "name",
        "mapping_path",
        "dry_run",
        "uploaded_by",
        "status",
        "progress",
        "result",
        "rows_to_correct",
        "started_at",
        "finished_at",
        "path",
    )

    def get_fields(self, request: HttpRequest, obj: LegacyImport | None = None) -> Any:
        return ("file", "mapping_file", "dry_run") if obj is None else self.shown

    def get_readonly_fields(self, request: HttpRequest, obj: LegacyImport | None = None) -> Any:
        return () if obj is None else self.shown

    def get_form(
        self,
        request: HttpRequest,
        obj: LegacyImport | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is not None:
            kwargs["form"] = forms.ModelForm  # nothing to upload on a run's own page
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: LegacyImport | None = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().add_view(
            request, form_url, {**(extra_context or {}), "title": "Import cases from a file"}
        )

    def save_model(self, request: HttpRequest, obj: LegacyImport, form: Any, change: bool) -> None:
        queued = legacy.upload_import(
            by=request.user,
            filename=form.names["file"],
            text=form.cleaned_data["file"],
            mapping_filename=form.names.get("mapping_file", ""),
            mapping_text=form.cleaned_data["mapping_file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        obj.pk = queued.pk
        obj.refresh_from_db()

    @admin.display(description="File")
    def name(self, obj: LegacyImport) -> str:
        return obj.filename or obj.path

    @admin.display(description="Rows done")
    def progress(self, obj: LegacyImport) -> str:
        return f"{obj.processed_rows} of {obj.total_rows}"

    @admin.display(description="Result")
    def result(self, obj: LegacyImport) -> str:
        if obj.status == LegacyImport.Status.IMPORTED:
            return (
                f"{obj.imported_rows} case{pluralize(obj.imported_rows)} imported, "
                f"{obj.skipped_rows} already imported before."
            )
        if obj.status == LegacyImport.Status.CHECKED:
            return f"{obj.total_rows} row{pluralize(obj.total_rows)} checked; all good. Nothing imported."
        if obj.status == LegacyImport.Status.REJECTED:
            count = len(obj.errors)
            return f"Nothing imported: {count} row{pluralize(count)} to correct (below)."
        return obj.get_status_display()

    @admin.display(description="Rows to correct")
    def rows_to_correct(self, obj: LegacyImport) -> str:
        if not obj.errors:
            return "None"
        return format_html(
            "<p>Nothing was imported. Correct these rows in the file and upload it again.</p>"
            '<table><thead><tr><th scope="col">Line</th><th scope="col">What to correct</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td></tr>",
                ((error["line"] or "The whole file", error["message"]) for error in obj.errors),
            ),
        )
