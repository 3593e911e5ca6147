"""The audit log in Django admin: read-only for every role, scoped to the user's hospital.

Registered from skinspire.core.admin. A list of millions of rows within a year (see
BigListAdminMixin): the actor and hospital filters list the staff and hospitals the user may
see (read from those tables, not from every entry of the log), so they name no other
hospital's staff; the object-type filter lists the project's types.
"""

import json

from django.contrib import admin
from django.utils.html import format_html

from skinspire.core.admin_lists import BigListAdminMixin
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.models import User
from skinspire.core.tenancy import TenantScopedAdminMixin, scope_queryset, user_hospitals


class ActorFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        staff = scope_queryset(User.objects.order_by("username"), request.user)
        return [(user.pk, user.username) for user in staff]


class HospitalFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(hospital.pk, str(hospital)) for hospital in user_hospitals(request.user)]


class AuditEntryAdmin(BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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
        ("actor", ActorFilter),
        ("hospital", HospitalFilter),
        "content_type",
        "created_at",
    ]
    search_fields = ["action", "object_id"]
    # Newest first by when each entry was made (the model's order), not by id as the other
    # big lists: staff narrow this list by date (created_at's filter), and the created_at
    # index then gives the range's newest 100 at once, where a walk of the primary key read
    # every newer entry first and dropped it (1.9-4.8 s for a week or a month of a year's
    # log: bench/big_lists/README.md). An entry's id and created_at rise together (an entry
    # is appended when made, or at its transaction's commit), so the order is the same but
    # for entries a moment apart; ties, by id.
    ordering = ["-created_at", "-id"]
    sortable_by = ("created_at",)
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
