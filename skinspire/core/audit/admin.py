"""The audit log in Django admin: read-only for every role, scoped to the user's hospital.

Registered from skinspire.core.admin. The actor, hospital and object-type filters list only
values present in the user's own (tenancy-scoped) entries, so they name no other
hospital's staff.
"""

import json

from django.contrib import admin
from django.utils.html import format_html

from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.tenancy import TenantScopedAdminMixin


class AuditEntryAdmin(TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "action",
        "actor_display",
        "hospital",
        "content_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("hospital", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["action", "actor_username", "object_repr", "object_id", "ip_address", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "hospital", "content_type"]
    fields = (
        "created_at",
        "action",
        "actor_display",
        "hospital",
        "content_type",
        "object_id",
        "object_repr",
        "changes_pretty",
        "ip_address",
        "message",
        "chain",
        "sequence",
        "previous_hash",
        "entry_hash",
    )
    readonly_fields = fields

    @admin.display(description="Actor", ordering="actor_username")
    def actor_display(self, entry):
        return entry.actor_username or "—"

    @admin.display(description="Changes")
    def changes_pretty(self, entry):
        if not entry.changes:
            return "—"
        return format_html(
            "<pre>{}</pre>", json.dumps(entry.changes, indent=2, sort_keys=True, ensure_ascii=False)
        )
