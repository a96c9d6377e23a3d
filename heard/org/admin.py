from django.contrib import admin
from django.db import transaction

from heard.org.models import (
    AddedBankHoliday,
    ApiToken,
    ClosureDay,
    Directorate,
    Organisation,
    RoleAssignment,
    Service,
    ServiceMembership,
    ServiceRequestCategory,
    Team,
)


def _retime_open_cases_after_commit() -> None:
    """Working days changed: re-time every open case once the admin's change is committed."""
    from heard.cases.services import recompute_deadlines

    transaction.on_commit(recompute_deadlines)


class CalendarAdmin(admin.ModelAdmin):
    """An admin whose changes alter working days, so open cases are re-timed after each."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _retime_open_cases_after_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _retime_open_cases_after_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _retime_open_cases_after_commit()


@admin.register(Organisation)
class OrganisationAdmin(CalendarAdmin):
    list_display = ["name", "nation", "timezone", "working_day_cutoff"]

    def has_add_permission(self, request):
        return not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(CalendarAdmin):
    list_display = ["date", "description"]


@admin.register(AddedBankHoliday)
class AddedBankHolidayAdmin(CalendarAdmin):
    list_display = ["date", "title", "nation"]


admin.site.register(Directorate)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "slug"]
    list_filter = ["directorate"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]


@admin.register(ServiceMembership)
class ServiceMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "service", "team"]
    list_filter = ["service"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued with `heard apitoken`, which shows them once


@admin.register(ServiceRequestCategory)
class ServiceRequestCategoryAdmin(admin.ModelAdmin):
    """The service catalogue; saving re-times nothing already open but new requests follow the target."""

    list_display = ["name", "service", "target_days", "active"]
    list_filter = ["service", "active"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        from heard.org.services import define_request_category

        saved = define_request_category(
            service=obj.service,
            name=obj.name,
            slug=obj.slug,
            target_days=obj.target_days,
            active=obj.active,
        )
        obj.pk, obj.procedure = saved.pk, saved.procedure
