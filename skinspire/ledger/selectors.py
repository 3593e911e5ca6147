"""Ledger reads: balances are summed by the database, never in Python."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from skinspire.core.models import Hospital
from skinspire.ledger.models import Account, JournalLine

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    type: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit minus credit: positive is a debit balance."""
        return self.debit - self.credit


def _summed(field: str, line_filter: Q):
    return Coalesce(
        Sum(f"lines__{field}", filter=line_filter),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def trial_balance(*, hospital: Hospital, as_of: date | None = None) -> list[TrialBalanceRow]:
    """Every account of the hospital with its total debits and credits up to `as_of` (inclusive).

    For a sound book the debits column equals the credits column.
    """
    line_filter = Q(lines__entry__entry_date__lte=as_of) if as_of else Q()
    rows = (
        Account.objects.filter(hospital=hospital)
        .annotate(debit_total=_summed("debit", line_filter), credit_total=_summed("credit", line_filter))
        .order_by("code")
        .values_list("code", "name", "type", "debit_total", "credit_total")
    )
    return [TrialBalanceRow(code, name, type_, debit, credit) for code, name, type_, debit, credit in rows]


def account_balance(*, account: Account, as_of: date | None = None) -> Decimal:
    """Debit minus credit on the account up to `as_of` (inclusive); positive is a debit balance."""
    lines = JournalLine.objects.filter(account=account)
    if as_of:
        lines = lines.filter(entry__entry_date__lte=as_of)
    totals = lines.aggregate(debit=Sum("debit", default=ZERO), credit=Sum("credit", default=ZERO))
    return totals["debit"] - totals["credit"]
