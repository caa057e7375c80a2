"""Back office of the webhooks: the subscriptions (kept by superusers and the series manager,
who may send a test ping), and the deliveries' log, read only, whose failed or pending
deliveries may be tried again at once. Registered by ``CoreConfig.ready``."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEvent, WebhookSubscription
from core.webhooks import webhook_ping, webhook_retry


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=WebhookSubscription._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("What the subscriber is told of."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ("name", "url", "events", "championship", "active")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("name", "url", "events_shown", "championship", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url", "championship")
    readonly_fields = ("secret_shown", "created_at")
    actions = ("send_test_ping",)
    fieldsets = (
        (None, {"fields": ("name", "url", "events", "championship", "active")}),
        (
            gettext_lazy("Signature"),
            {
                "fields": ("secret_shown", "created_at"),
                "description": gettext_lazy(
                    "Each POST carries X-CupManager-Timestamp and X-CupManager-Signature: "
                    "sha256= and the HMAC-SHA256, keyed with this secret, of the timestamp, "
                    "a dot and the body. Give the secret to the subscriber."
                ),
            },
        ),
    )

    @admin.display(description=gettext_lazy("events"))
    def events_shown(self, obj: WebhookSubscription) -> str:
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(event, event)) for event in obj.events)

    @admin.display(description=gettext_lazy("secret"))
    def secret_shown(self, obj: WebhookSubscription) -> str:
        if not obj.pk:
            return _("Made when the subscription is saved.")
        return format_html("<code>{}</code>", obj.secret)

    @admin.action(description=gettext_lazy("Send a test ping"), permissions=["change"])
    def send_test_ping(self, request: HttpRequest, queryset: QuerySet) -> None:
        for subscription in queryset:
            webhook_ping(subscription=subscription)
        self.message_user(
            request,
            ngettext(
                "A test ping was sent to %(count)d subscription: see the deliveries' log.",
                "A test ping was sent to %(count)d subscriptions: see the deliveries' log.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The log: what was sent to whom, and how each attempt went. Written by sending only."""

    list_display = (
        "created_at",
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event", "subscription")
    list_select_related = ("subscription",)
    search_fields = ("delivery_id",)
    actions = ("retry_now",)
    fields = (
        "subscription",
        "event",
        "delivery_id",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "payload_shown",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("payload"))
    def payload_shown(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, sort_keys=True))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        """Who keeps the subscriptions tries their deliveries again."""
        return request.user.has_perm("core.change_webhooksubscription")

    @admin.action(description=gettext_lazy("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = webhook_retry(deliveries=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery is being tried again.",
                "%(count)d deliveries are being tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
