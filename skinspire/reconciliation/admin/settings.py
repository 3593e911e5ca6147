"""Matching settings per gateway configuration, kept by accountants."""

from decimal import Decimal

from django.contrib import admin

from skinspire.core.forms import amount_form_fields
from skinspire.core.tenancy import TenantScopedAdminMixin, scope_queryset
from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.models import MatchingSettings


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    formfield_overrides = amount_form_fields(minimum=Decimal("0.00"))
    list_display = [
        "configuration",
        "date_window_days",
        "settlement_cycle_days",
        "amount_tolerance",
        "fee_tolerance",
    ]
    list_select_related = ["configuration"]
    fields = [
        "configuration",
        "date_window_days",
        "settlement_cycle_days",
        "amount_tolerance",
        "fee_tolerance",
        "report_recipients",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["configuration"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "configuration":
            # Only the user's own hospital's configurations, read without their secrets.
            configurations = GatewayConfiguration.objects.without_secrets().order_by("name")
            kwargs["queryset"] = scope_queryset(configurations, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
