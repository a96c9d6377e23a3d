from django.contrib import admin
from django.http import HttpRequest

from heard.accounts.models import SingleSignOnIdentity


@admin.register(SingleSignOnIdentity)
class SingleSignOnIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "created_at", "last_signed_in_at"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_signed_in_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
