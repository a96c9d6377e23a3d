from django.contrib import admin

from heard.cases.models import Case, CaseEvent, CustomerRestriction, RoutingRule


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor", "summary")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the lifecycle services, which log every step."""

    list_display = ["reference", "kind", "status", "stage_number", "service", "respond_by"]
    list_filter = ["kind", "status", "stage_number", "channel"]
    search_fields = ["reference", "subject"]
    inlines = [CaseEventInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustomerRestriction)
class CustomerRestrictionAdmin(admin.ModelAdmin):
    """Restrictions are proportionate, reasoned and reviewed; the customer keeps the complaints procedure."""

    list_display = ["customer", "kind", "review_on", "set_by", "ended_at"]
    list_filter = ["kind"]
    raw_id_fields = ["customer"]
    readonly_fields = ["set_by", "set_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Triage categories that follow their own procedure (seed 002: social care)."""

    list_display = ["name", "procedure", "service", "active"]
    list_filter = ["active"]
