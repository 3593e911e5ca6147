"""Sandbox state in Django admin: merchants (chaos knobs editable), objects and webhook
deliveries read-only, with the two actions operators need to drive a demo."""

from django.contrib import admin, messages
from django.db import models

from skinspire.core.json_input import JSONInputFormField
from skinspire.core.text import counted
from skinspire.sandbox.controls import merchant_settle_now
from skinspire.sandbox.delivery import webhook_send
from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance


class SandboxAdmin(admin.ModelAdmin):
    # Django 6 reads a scheme-less URL as https; say so now (a view-only page builds the form too).
    # The chaos knobs are JSON typed by hand: NaN or 1e999 is a form error, not a 500 at the save.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.JSONField: {"form_class": JSONInputFormField},
    }


class ReadOnlyAdmin(SandboxAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SandboxMerchant)
class SandboxMerchantAdmin(SandboxAdmin):
    list_display = ["name", "provider", "key_id", "account_number", "balance_paise", "webhook_url"]
    list_filter = ["provider"]
    search_fields = ["name", "key_id"]
    # Secrets stay out of the form; the sandbox's demo values are in the README.
    exclude = ["key_secret", "webhook_secret"]
    actions = ["settle_now"]

    @admin.action(description="Settle now (instead of waiting for T+1)")
    def settle_now(self, request, queryset):
        for merchant in queryset:
            settled = merchant_settle_now(merchant=merchant)
            if not settled["settled"]:
                self.message_user(request, f"{merchant.key_id}: nothing to settle", messages.INFO)
                continue
            reference = settled["settlement"]["id"] if merchant.provider == "razorpay" else settled["utr"]
            self.message_user(
                request,
                f"{merchant.key_id}: settled {counted(settled['settled'], 'item')}, {reference}",
                messages.SUCCESS,
            )


@admin.register(SandboxObject)
class SandboxObjectAdmin(ReadOnlyAdmin):
    list_display = ["object_id", "entity", "status", "merchant", "parent_id", "created_at"]
    list_filter = ["entity", "status", "merchant"]
    search_fields = ["object_id", "parent_id", "idempotency_key"]
    actions = ["advance_payout"]

    @admin.action(description="Advance payout one step")
    def advance_payout(self, request, queryset):
        payouts = queryset.filter(entity="payout")
        for payout in payouts:
            moved_payout, moved = payout_advance(payout_id=payout.object_id)
            outcome = f"moved to {moved_payout.status}" if moved else f"stays {moved_payout.status}"
            self.message_user(request, f"{payout.object_id}: {outcome}", messages.INFO)
        if not payouts:
            self.message_user(request, "Select payouts to advance.", messages.WARNING)


@admin.register(SandboxWebhookDelivery)
class SandboxWebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_type",
        "event_id",
        "object_id",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "event_type", "merchant"]
    search_fields = ["event_id", "object_id"]
    actions = ["resend"]

    @admin.action(description="Resend now")
    def resend(self, request, queryset):
        for delivery in queryset:
            sent = webhook_send(delivery_id=delivery.pk, resend=True)
            self.message_user(request, f"{sent.event_id}: HTTP {sent.last_status_code}", messages.INFO)
