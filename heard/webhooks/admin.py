"""Subscriptions and their deliveries in the admin (administrators only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from heard.webhooks.models import Delivery, DeliveryStatus, Event, Subscription, new_secret


class SubscriptionForm(forms.ModelForm):
    target_url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text=Subscription._meta.get_field("target_url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The case actions to send, unless every event is ticked.",
    )

    class Meta:
        model = Subscription
        fields = ["name", "target_url", "service", "all_events", "events", "active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Other systems that follow case events; the secret is shown here to give to them."""

    form = SubscriptionForm
    list_display = ["name", "target_url", "service", "events_sent", "active"]
    list_filter = ["active", "service"]
    search_fields = ["name", "target_url"]
    readonly_fields = ["secret", "created_at"]
    actions = ["replace_secret"]

    @admin.display(description="Events")
    def events_sent(self, subscription: Subscription) -> str:
        return "Every event" if subscription.all_events else ", ".join(subscription.events)

    @admin.action(description="Replace the secret of the selected subscriptions")
    def replace_secret(self, request: Any, queryset: Any) -> None:
        for subscription in queryset:
            subscription.secret = new_secret()
            subscription.save(update_fields=["secret"])
        self.message_user(
            request, "New secret(s) made: give each receiving system its new secret now."
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every event posted to a subscription: pending retries, deliveries, and what failed and why."""

    list_display = [
        "created_at",
        "subscription",
        "action",
        "case_reference",
        "status",
        "attempts",
        "next_attempt_at",
        "response_status",
        "last_error",
    ]
    list_filter = ["status", "subscription"]
    search_fields = ["id_for_receiver", "payload__case__reference"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    @admin.display(description="Action")
    def action(self, delivery: Delivery) -> str:
        return str(delivery.payload.get("event", {}).get("action", ""))

    @admin.display(description="Case")
    def case_reference(self, delivery: Delivery) -> str:
        return str(delivery.payload.get("case", {}).get("reference", ""))

    @admin.action(description="Retry the selected deliveries now")
    def retry_now(self, request: Any, queryset: Any) -> None:
        from heard.webhooks.services import retry_now

        count = sum(
            retry_now(delivery) for delivery in queryset.exclude(status=DeliveryStatus.DELIVERED)
        )
        self.message_user(request, f"{count} delivery(ies) put back on the queue.")
