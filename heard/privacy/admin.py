"""Retention schedules are set in the administration screens; the records are read-only there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from heard.privacy.models import Erasure, PersonalDataRead, RetentionRun, RetentionSchedule


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(admin.ModelAdmin[RetentionSchedule]):
    list_display = ("kind", "years_after_closure", "mode", "active", "changed_at")
    list_editable = ("years_after_closure", "mode", "active")
    readonly_fields = ("changed_at",)

    def save_model(
        self, request: HttpRequest, obj: RetentionSchedule, form: Any, change: bool
    ) -> None:
        # A changed schedule needs a fresh dry run before it anonymises anything.
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnly):
    list_display = ("at", "dry_run", "total", "by")


@admin.register(Erasure)
class ErasureAdmin(ReadOnly):
    list_display = ("at", "source", "by_username", "reason")


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnly):
    list_display = ("at", "username", "case_reference", "customer_number", "what", "ip_address")
    list_filter = ("what",)
    search_fields = ("username", "case_reference")
