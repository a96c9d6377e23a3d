"""Mailboxes, Open311 clients and what came in, in the administration screens."""

from __future__ import annotations

from django.contrib import admin

from heard.channels.models import CallRecord, InboundEmail, LegacyImport, Mailbox, Open311Client


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
