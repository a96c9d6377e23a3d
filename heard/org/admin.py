from django.contrib import admin

from heard.org.models import (
    AddedBankHoliday,
    ApiToken,
    ClosureDay,
    Directorate,
    Organisation,
    RoleAssignment,
    Service,
    ServiceMembership,
    Team,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "nation", "timezone", "working_day_cutoff"]

    def has_add_permission(self, request):
        return not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ClosureDay)
admin.site.register(AddedBankHoliday)
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
