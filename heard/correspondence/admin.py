from django.contrib import admin
from django.utils.html import format_html, format_html_join

from heard.correspondence.merge import ALLOWED_FILTERS, MERGE_FIELDS
from heard.correspondence.models import Letter, LetterTemplate


def _merge_field_help() -> str:
    fields = format_html_join(
        "",
        "<li><code>{{{{ {} }}}}</code> — {}</li>",
        ((name, meaning) for name, meaning in MERGE_FIELDS.items()),
    )
    return format_html(
        "<p>Write the subject and text as they should read, with merge fields where the "
        "case's details go. Heard refuses a template that uses a name that is not a merge "
        "field.</p><ul>{}</ul>"
        "<p>You can also use <code>{{% if field %}} … {{% else %}} … {{% endif %}}</code> and "
        "the filters {}. Put text the officer must replace in double square brackets, "
        "<code>[[like this]]</code>: a letter still holding any cannot be sent.</p>",
        fields,
        ", ".join(f"|{name}" for name in sorted(ALLOWED_FILTERS)),
    )


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Letter and email wording; validated (merge fields only) when saved."""

    list_display = ["name", "purpose", "medium", "language", "active", "updated_at"]
    list_filter = ["purpose", "medium", "language", "active"]
    search_fields = ["name", "subject", "body"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["name", "purpose", "medium", "language", "active"]}),
            ("Wording", {"fields": ["subject", "body"], "description": _merge_field_help()}),
        ]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: letters change only through the correspondence services, which log every step."""

    list_display = ["case", "subject", "medium", "status", "author", "checker", "sent_at"]
    list_filter = ["status", "medium", "purpose"]
    search_fields = ["case__reference", "subject", "recipient"]
    list_select_related = ["case", "author", "checker"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
