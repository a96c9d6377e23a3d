"""Mailboxes, Open311 clients and what came in, in the administration screens."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from heard.channels.models import (
    CallRecord,
    InboundEmail,
    LegacyImport,
    Mailbox,
    Open311Attribute,
    Open311Client,
    Open311Update,
)


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


@admin.register(LegacyImport)
class LegacyImportAdmin(admin.ModelAdmin):
    list_display = ("started_at", "path", "status", "processed_rows", "total_rows", "imported_rows")
    readonly_fields = [f.name for f in LegacyImport._meta.fields]
