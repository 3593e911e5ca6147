"""Gateway configurations (encrypted, write-only credentials) and the read-only call log.

Both are scoped to the user's hospital by skinspire.core.tenancy. Saving goes through
gateways.services; the changelist reads configurations with their secrets deferred, so
listing never decrypts; add/change views keep typed secrets out of error reports.

No page renders a stored secret: editors see password inputs with a masked hint (the last
4 characters at most), and someone who may only view a configuration (Payments staff) sees
which gateway is set up how, without its credentials or endpoints: Django would render a
read-only secret field with its decrypted value.
"""

import json

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from skinspire.core.admin_display import person_display, unlinked_display
from skinspire.core.admin_lists import BigListAdminMixin
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.tenancy import HospitalFixedAdminMixin, TenantScopedAdminMixin, stamp_hospital
from skinspire.gateways.forms import (
    GatewayConfigurationForm,
    every_provider_form_field_name,
    provider_form_field_names,
)
from skinspire.gateways.models import SECRET_FIELD_NAMES, GatewayConfiguration, GatewayTransactionLog
from skinspire.gateways.providers.schemas import provider_names, schema_for
from skinspire.gateways.services import (
    EDITABLE_FIELD_NAMES,
    gateway_configuration_create,
    gateway_configuration_update,
)

sensitive_post = method_decorator(sensitive_post_parameters())


@admin.register(GatewayConfiguration)
class GatewayConfigurationAdmin(HospitalFixedAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    created_by_name = person_display("created_by", "created by")
    form = GatewayConfigurationForm
    list_display = [
        "name",
        "hospital",
        "branch",
        "provider",
        "mode",
        "is_active",
        "is_default",
        "priority",
        "effective_base_url",
    ]
    list_filter = ["provider", "mode", "is_active", "is_default"]
    search_fields = ["name", "hospital__name", "branch__name", "key_id", "merchant_id"]
    list_select_related = ["hospital", "branch"]
    readonly_fields = ["created_by_name", "created_at", "updated_at"]
    # The provider fieldsets come from the providers' configuration schemas (get_fieldsets).
    fieldsets = [
        (None, {"fields": ["hospital", "branch", "name", "provider", "mode"]}),
        ("Routing", {"fields": ["is_active", "is_default", "priority", "capabilities"]}),
        ("Endpoints", {"fields": ["base_url", "payout_base_url"]}),
        ("Webhooks", {"fields": ["webhook_allowed_ips"]}),
    ]
    record_fieldset = ("Record", {"fields": ["created_by_name", "created_at", "updated_at"]})

    # What a view-only user sees: which gateway serves whom, never its credentials.
    view_only_fieldsets = [
        (None, {"fields": ["hospital", "branch", "name", "provider", "mode"]}),
        ("Routing", {"fields": ["is_active", "is_default", "priority", "capabilities"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.view_only_fieldsets
        providers = [
            (f"{schema_for(provider).label} account", {"fields": provider_form_field_names(provider)})
            for provider in provider_names()
        ]
        return [*self.fieldsets, *providers, self.record_fieldset]

    def get_list_display(self, request):
        # The API host says where credentials go; only those who may change it need it.
        if self.has_change_permission(request):
            return self.list_display
        return [name for name in self.list_display if name != "effective_base_url"]

    def lookup_allowed(self, lookup, value, request=None):
        # No filtering or probing on the encrypted column through changelist URLs.
        if lookup.split("__")[0] in SECRET_FIELD_NAMES:
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="API host")
    def effective_base_url(self, configuration):
        return configuration.effective_base_url

    def get_queryset(self, request):
        # Deferred secrets: a changelist of any length decrypts nothing.
        return super().get_queryset(request).without_secrets()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The provider fields are form-only; keeping them out of the ModelForm's field list
        # stops a blank input from being copied over the stored value.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        provider_fields = set(every_provider_form_field_name())
        kwargs["fields"] = [name for name in fields if name not in provider_fields]
        return super().get_form(request, obj, change, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser and request.user.hospital_id:
            initial.setdefault("hospital", request.user.hospital_id)
        return initial

    @sensitive_post
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @sensitive_post
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        stamp_hospital(obj, request.user)
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data if name in EDITABLE_FIELD_NAMES}
            gateway_configuration_update(
                configuration=obj, changes=changes, values=form.provider_values(), secrets_entered_again=True
            )
            return
        created = gateway_configuration_create(
            **{name: getattr(obj, name) for name in EDITABLE_FIELD_NAMES},
            values=form.provider_values(),
            created_by=request.user,
        )
        # The admin goes on to log and redirect with `obj`; make it the saved row.
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(GatewayTransactionLog)
class GatewayTransactionLogAdmin(
    BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    list_display = [
        "created_at",
        "provider",
        "operation",
        "outcome",
        "http_status",
        "latency_ms",
        "object_ref",
    ]
    # A row per gateway call (see BigListAdminMixin); the operation, free text, is searched
    # rather than filtered (a filter's choices would be read from every row).
    list_filter = ["provider", "outcome", "created_at"]
    search_fields = ["object_ref", "idempotency_key", "operation"]
    sortable_by = ("created_at",)
    fields = (
        "created_at",
        "hospital",
        "configuration_name",
        "provider",
        "operation",
        "object_ref",
        "idempotency_key",
        "method",
        "url",
        "http_status",
        "outcome",
        "latency_ms",
        "gateway_ids_pretty",
        "request_body_pretty",
        "response_body_pretty",
        "error_message",
    )
    readonly_fields = fields
    configuration_name = unlinked_display("configuration", "configuration")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hospital", "configuration")

    @admin.display(description="Gateway ids")
    def gateway_ids_pretty(self, log):
        return pretty_json(log.gateway_ids)

    @admin.display(description="Request body")
    def request_body_pretty(self, log):
        return pretty_json(log.request_body)

    @admin.display(description="Response body")
    def response_body_pretty(self, log):
        return pretty_json(log.response_body)


def pretty_json(value) -> str:
    """Bodies were redacted when they were stored (calllog); shown as indented JSON."""
    if value is None:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))


# The webhook inbox's admin lives beside its models.
from skinspire.gateways.webhooks import admin as webhook_admin  # noqa: E402,F401
