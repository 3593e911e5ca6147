"""The inbox in admin: read-only rows, filters, and the audited *reprocess* action."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from skinspire.core.admin_lists import BigListAdminMixin
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.errors import PermissionDeniedError
from skinspire.core.redaction import redact, redact_text
from skinspire.core.tenancy import TenantScopedAdminMixin, scope_queryset
from skinspire.core.text import counted
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.services import REPROCESS_PERMISSION, webhook_events_reprocess


class ConfigurationFilter(admin.RelatedFieldListFilter):
    """Only the configurations the user may see (the default lists every hospital's)."""

    def field_choices(self, field, request, model_admin):
        visible = scope_queryset(GatewayConfiguration.objects.without_secrets(), request.user)
        return [(configuration.pk, str(configuration)) for configuration in visible]


@admin.register(WebhookEvent)
class WebhookEventAdmin(BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "received_at",
        "provider",
        "event_type",
        "object_id",
        "status",
        "attempts",
        "signature_valid",
        "source",
        "configuration",
    ]
    # Several deliveries per payment (see BigListAdminMixin). Filters whose choices cost no
    # read of the table; the event and object types (free text, read from every row for a
    # filter's choices) are searched instead, like the ids.
    list_filter = [
        "provider",
        "status",
        "source",
        "received_at",
        ("configuration", ConfigurationFilter),
    ]
    search_fields = ["object_id", "event_type"]
    sortable_by = ("received_at",)
    list_select_related = ["configuration"]
    actions = ["reprocess"]
    fields = (
        "received_at",
        "provider",
        "source",
        "configuration",
        "hospital",
        "event_id",
        "event_type",
        "object_type",
        "object_id",
        "status",
        "attempts",
        "processed_at",
        "signature_valid",
        "remote_ip",
        "headers_text",
        "body_text",
        "last_error",
        "traceback_text",
    )
    readonly_fields = fields

    def has_reprocess_permission(self, request):
        return request.user.has_perm(REPROCESS_PERMISSION)

    @admin.action(description="Reprocess selected events from their stored body", permissions=["reprocess"])
    def reprocess(self, request, queryset):
        try:
            queued = webhook_events_reprocess(events=list(queryset), actor=request.user)
        except PermissionDeniedError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        skipped = queryset.count() - len(queued)
        rejected = counted(skipped, "rejected delivery", "rejected deliveries")
        note = f" {rejected} skipped (never verified)." if skipped else ""
        self.message_user(
            request, f"{counted(len(queued), 'event')} queued for reprocessing.{note}", messages.SUCCESS
        )

    # The row keeps the exact bytes (they are what the signature covers); pages show them with
    # account numbers and UPI ids masked, as the transaction log stores them.
    @admin.display(description="Headers")
    def headers_text(self, event):
        return _compact_json(redact(event.headers))

    @admin.display(description="Body")
    def body_text(self, event):
        text = bytes(event.body).decode("utf-8", "replace")
        try:
            shown = _compact_json(redact(json.loads(text)))
        except ValueError:  # Paytm's form-encoded callbacks, or a body that is not JSON
            shown = redact_text(text)
        return format_html("<pre>{}</pre>", shown)

    @admin.display(description="Traceback")
    def traceback_text(self, event):
        return format_html("<pre>{}</pre>", event.traceback) if event.traceback else "—"


def _compact_json(value: object) -> str:
    # In the gateways' own compact form, keys in the order received.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
