"""Chart of accounts and the double-entry journal.

Journal entries and lines are write-once: the model layer refuses save() of an existing
row, update() and delete(), and a database trigger refuses UPDATE/DELETE underneath
(migrations/0002_immutability_triggers.py). The double-entry rules themselves (balance at
commit, lines only from the posting transaction, one hospital per entry, no TRUNCATE) are
database triggers too: migrations/0005_database_rules.py and docs/ledger.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from skinspire.core.models import Hospital
from skinspire.ledger.errors import ImmutableEntryError

IMMUTABLE_MESSAGE = "Posted journal entries are never changed or deleted; post a reversing entry."


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class Account(models.Model):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="ledger_accounts")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=AccountType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hospital_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="ledger_account_code_unique"),
            models.CheckConstraint(
                condition=Q(type__in=AccountType.values), name="ledger_account_type_known"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class WriteOnceQuerySet(models.QuerySet):
    """Bulk update/delete bypass save()/delete(), so they are refused here as well."""

    def update(self, **kwargs):
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)

    def delete(self):
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)


class WriteOnceModel(models.Model):
    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntryError(IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)


class JournalEntry(WriteOnceModel):
    # On PostgreSQL the table also has `posting_xact`, the id of the transaction that inserted
    # the entry. The database sets it and checks lines against it (migration 0005); it is not a
    # field here because the application must never set it.
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="journal_entries")
    entry_date = models.DateField()
    memo = models.CharField(max_length=500, blank=True)
    # The business object and event that caused the posting; unique together, so posting
    # the same event twice is a no-op (DESIGN decision 4).
    source_type = models.CharField(max_length=100)
    source_id = models.CharField(max_length=100)
    event = models.CharField(max_length=100)
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversals"
    )
    # PROTECT, not SET_NULL: SET_NULL would UPDATE a posted entry, which the trigger refuses.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(WriteOnceModel.Meta):
        ordering = ["-entry_date", "-id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "source_type", "source_id", "event"],
                name="ledger_entry_once_per_source_event",
            ),
            models.UniqueConstraint(fields=["reverses"], name="ledger_entry_reversed_once"),
            # The services refuse a posting without these (LedgerError); so does the database.
            models.CheckConstraint(
                condition=~Q(source_type="") & ~Q(source_id="") & ~Q(event=""),
                name="ledger_entry_names_source_and_event",
            ),
        ]
        indexes = [models.Index(fields=["hospital", "entry_date"], name="ledger_entry_hosp_date")]

    def __str__(self):
        return f"#{self.pk} {self.entry_date} {self.event} {self.source_type}:{self.source_id}"


class JournalLine(WriteOnceModel):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    memo = models.CharField(max_length=500, blank=True)

    class Meta(WriteOnceModel.Meta):
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="ledger_line_debit_xor_credit",
            ),
        ]

    def __str__(self):
        side = f"Dr {self.debit}" if self.debit else f"Cr {self.credit}"
        return f"{self.account.code} {side}"
