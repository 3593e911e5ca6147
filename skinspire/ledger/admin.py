"""Admin: accounts are added and renamed; journal entries are read-only, all the way down.

Corrections are reversing entries posted through skinspire.ledger.services.reverse_entry.
"""

from django.apps import apps
from django.contrib import admin
from django.db.models import Q

from skinspire.core.admin_display import person_display
from skinspire.core.admin_lists import BigListAdminMixin
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.models import Hospital
from skinspire.core.tenancy import TenantScopedAdminMixin
from skinspire.ledger.models import Account, JournalEntry, JournalLine


@admin.register(Account)
class AccountAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "type", "hospital"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    fields = ["hospital", "code", "name", "type"]

    def get_readonly_fields(self, request, obj=None):
        # Postings and statements rely on an account's code and type; only the name may change.
        return ["hospital", "code", "type"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


# Sources that are no model's row (reconciliation.services.postings).
SETTLEMENT_SOURCES = ["settlement"]


class JournalLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = JournalLine
    fields = ("account", "debit", "credit", "memo")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(JournalEntry)
class JournalEntryAdmin(BigListAdminMixin, TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    # Several entries per payment: a list of millions within a year (see BigListAdminMixin).
    # No filter by event (its choices would be read from every row) and no date drill-down
    # (each level reads every date): the entry date's filter costs no query.
    created_by_name = person_display("created_by", "created by")
    list_display = ["id", "entry_date", "event", "source_type", "source_id", "memo", "hospital"]
    list_filter = ["entry_date"]
    search_fields = ["source_id"]

    def search_match(self, name: str, spellings: list[str]) -> Q:
        """The entries of one source (a payment's id, a settlement's "provider:id") through
        the unique index on (hospital, source type, source id, event): one look-up per
        hospital and source type; the source id alone has no index."""
        source_types = [model._meta.label_lower for model in apps.get_models()] + SETTLEMENT_SOURCES
        return Q(hospital__in=Hospital.objects.all(), source_type__in=source_types, source_id__in=spellings)

    fields = (
        "hospital",
        "entry_date",
        "event",
        "source_type",
        "source_id",
        "memo",
        "reverses",
        "created_by_name",
        "created_at",
    )
    readonly_fields = fields
    inlines = [JournalLineInline]
    list_select_related = ["hospital"]
