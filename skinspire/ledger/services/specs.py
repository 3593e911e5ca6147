"""What callers hand to the posting services, and how it is checked before anything is written."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models

from skinspire.core.money import to_rupees
from skinspire.ledger.errors import LedgerError, UnbalancedEntryError, ZeroEntryError
from skinspire.ledger.models import Account, JournalEntry, JournalLine

ZERO = Decimal("0.00")

# A model instance, or (source_type, source_id) for things that are not rows of ours
# (a settlement line in a gateway report).
Source = models.Model | tuple[str, str]
# (account code, debit, credit): what makes two postings of one event the same posting.
LineKey = tuple[str, Decimal, Decimal]


@dataclass(frozen=True)
class LineSpec:
    account_code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""


@dataclass(frozen=True)
class EntrySpec:
    source: Source
    event: str
    lines: list[LineSpec] = field(default_factory=list)
    memo: str = ""
    entry_date: date | None = None


def source_key(source: Source) -> tuple[str, str]:
    """(source_type, source_id): the model's "app.model" label and primary key."""
    if isinstance(source, models.Model):
        if source.pk is None:
            raise LedgerError("Save the source object before posting for it.")
        return source._meta.label_lower, str(source.pk)
    source_type, source_id = source
    if not source_type or source_id in (None, ""):
        raise LedgerError("A posting needs a source type and id.", extra={"source": list(source)})
    return str(source_type), str(source_id)


def validated_lines(lines: list[LineSpec]) -> list[LineSpec]:
    """Exact amounts, one side per line, non-zero and balanced; or a LedgerError."""
    checked = [
        LineSpec(line.account_code, to_rupees(line.debit), to_rupees(line.credit), line.memo)
        for line in lines
    ]
    total_debit = sum((line.debit for line in checked), ZERO)
    total_credit = sum((line.credit for line in checked), ZERO)
    if total_debit == ZERO and total_credit == ZERO:
        raise ZeroEntryError("A journal entry must move money; this one is zero.")
    for line in checked:
        if line.debit < ZERO or line.credit < ZERO:
            raise LedgerError("Line amounts are never negative.", extra={"account": line.account_code})
        if (line.debit > ZERO) == (line.credit > ZERO):
            raise LedgerError(
                "Each line has either a debit or a credit, not both and not neither.",
                extra={"account": line.account_code},
            )
    if total_debit != total_credit:
        raise UnbalancedEntryError(
            f"Debits ({total_debit}) and credits ({total_credit}) must be equal.",
            extra={"debit": str(total_debit), "credit": str(total_credit)},
        )
    return checked


def accounts_by_code(*, hospital_id: int, codes: set[str]) -> dict[str, Account]:
    """Resolve codes within the hospital only, so a line can never hit another hospital's book."""
    accounts = {
        account.code: account for account in Account.objects.filter(hospital_id=hospital_id, code__in=codes)
    }
    missing = sorted(codes - accounts.keys())
    if missing:
        raise LedgerError(
            f"Unknown account {'code' if len(missing) == 1 else 'codes'} for this hospital: {', '.join(missing)}.",
            extra={"accounts": missing},
        )
    return accounts


def line_keys(lines: list[LineSpec]) -> Counter[LineKey]:
    return Counter((line.account_code, line.debit, line.credit) for line in lines)


def journal_lines(
    *, entry: JournalEntry, lines: list[LineSpec], accounts: dict[str, Account]
) -> list[JournalLine]:
    """Unsaved JournalLine rows for an entry, ready for bulk_create.

    Debits first, then credits: no proper prefix of the lines then balances, so SQLite's
    insert trigger (which refuses a line joining an entry that already balances) accepts
    every line of a new entry. The sort is stable, so the caller's order holds within a side.
    """
    return [
        JournalLine(
            entry=entry,
            account=accounts[line.account_code],
            debit=line.debit,
            credit=line.credit,
            memo=line.memo,
        )
        for line in sorted(lines, key=lambda line: line.debit == ZERO)
    ]
