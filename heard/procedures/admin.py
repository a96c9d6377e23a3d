from django.contrib import admin

from heard.procedures.models import Procedure, ProcedureVersion, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0

    def has_change_permission(self, request, obj=None):
        # A published version is frozen: cases keep the version they began under.
        return obj is None or not obj.is_published

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "published_at"]
    list_filter = ["procedure"]
    inlines = [StageInline]
    actions = ["draft_new_version", "publish"]

    def get_readonly_fields(self, request, obj=None):
        return (
            ["procedure", "number", "published_at"]
            if obj and obj.is_published
            else ["published_at"]
        )

    @admin.action(description="Start a new draft version from the selected version")
    def draft_new_version(self, request, queryset):
        from heard.procedures.services import draft_from

        for version in queryset:
            draft = draft_from(version)
            self.message_user(request, f"Draft {draft} created; edit its stages, then publish it.")

    @admin.action(description="Publish the selected draft versions")
    def publish(self, request, queryset):
        from heard.core.errors import DomainError
        from heard.procedures.services import publish

        for version in queryset:
            try:
                publish(version)
                self.message_user(request, f"{version} published; new cases follow it.")
            except DomainError as error:
                self.message_user(request, error.message, level="error")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "independent_review", "is_preset"]
    prepopulated_fields = {"slug": ["name"]}
