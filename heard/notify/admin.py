from django.contrib import admin

from heard.notify.models import Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "language", "subject", "updated_at"]
    list_filter = ["key", "channel", "language"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent, to whom, and what failed with which error."""

    list_display = ["created_at", "template_key", "recipient", "status", "attempts", "case"]
    list_filter = ["status", "template_key", "channel"]
    search_fields = ["recipient", "idempotency_key", "case__reference"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected failed messages again")
    def send_again(self, request, queryset):
        from heard.notify.services import retry_failed

        count = sum(retry_failed(message) for message in queryset)
        self.message_user(request, f"{count} message(s) queued again.")
