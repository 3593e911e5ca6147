"""A settlement in the ledger, once (issue 12 item 7):

    Dr Bank          net settled (what reached the bank)
    Dr Gateway fees  fees less GST
    Dr GST input     GST on the fees
    Cr clearing      collections less refunds settled

Collections are debited to the gateway's clearing account when captured and refunds credited
when made, so once everything is settled the clearing account nets to zero, and what stays
in it is exactly what the gateway has not settled yet. One entry per settlement (its id or
UTR), idempotent on (hospital, settlement, event): a re-run posts nothing new. Adjustment
lines (chargebacks, transfers) are not ours to post blindly: a settlement holding one is left
to the accountant (it is a "missing in system" discrepancy anyway).
"""

from collections import defaultdict
from decimal import Decimal

from skinspire.core.text import counted
from skinspire.ledger.chart import BANK, GATEWAY_FEES, GST_INPUT, clearing_account_code
from skinspire.ledger.errors import EntryConflictError, LedgerError
from skinspire.ledger.services import LineSpec, post_entry
from skinspire.reconciliation.engine import GatewayRow, Kind
from skinspire.reconciliation.models import ReconciliationRun

EVENT = "settlement.settled"
ZERO = Decimal("0.00")
SETTLED_KINDS = {Kind.COLLECTION, Kind.REFUND}
PAYOUT_KINDS = {Kind.PAYOUT, Kind.PAYOUT_REVERSAL}
POSTED_KINDS = SETTLED_KINDS | PAYOUT_KINDS


def _total(rows: list[GatewayRow], kind: Kind) -> Decimal:
    return sum((row.amount for row in rows if row.kind == kind), ZERO)


def _balance_moved(rows: list[GatewayRow], kind: Kind) -> Decimal:
    """Amount and fees: a payout's debit; a reversal's credit (its fee is negative, given back)."""
    sign = 1 if kind == Kind.PAYOUT else -1
    return sum((row.amount + sign * row.fee for row in rows if row.kind == kind), ZERO)


def settlement_lines_of(*, provider: str, rows: list[GatewayRow]) -> list[LineSpec]:
    settled = _total(rows, Kind.COLLECTION) - _total(rows, Kind.REFUND)
    paid_out = _balance_moved(rows, Kind.PAYOUT) - _balance_moved(rows, Kind.PAYOUT_REVERSAL)
    fees = sum((row.fee for row in rows if row.kind in SETTLED_KINDS), ZERO)
    tax = sum((row.tax for row in rows if row.kind in SETTLED_KINDS), ZERO)
    lines = [
        _debit(BANK, settled - fees - paid_out),
        _debit(GATEWAY_FEES, fees - tax),
        _debit(GST_INPUT, tax),
        _debit(clearing_account_code(provider), paid_out - settled),
    ]
    return [line for line in lines if line.debit or line.credit]


def _debit(code: str, amount: Decimal) -> LineSpec:
    """A debit of `amount`, or a credit when it is negative (a day of more refunds than sales)."""
    return LineSpec(code, debit=amount) if amount >= 0 else LineSpec(code, credit=-amount)


def settlements_post(*, run: ReconciliationRun, gateway_rows: list[GatewayRow]) -> list[str]:
    """Post each settlement of the run's lines; returns what could not be posted, and why."""
    by_settlement: dict[str, list[GatewayRow]] = defaultdict(list)
    for row in gateway_rows:
        by_settlement[row.settlement_id or row.utr].append(row)
    provider, problems = run.configuration.provider, []
    for settlement_id in sorted(by_settlement):
        rows = by_settlement[settlement_id]
        if not settlement_id or any(row.kind not in POSTED_KINDS for row in rows):
            problems.append(
                f"settlement '{settlement_id}' not posted: it has lines other than payments, refunds and payouts"
            )
            continue
        try:
            post_entry(
                hospital=run.hospital,
                source=("settlement", f"{provider}:{settlement_id}"),
                event=EVENT,
                lines=settlement_lines_of(provider=provider, rows=rows),
                memo=f"{provider} settlement {settlement_id} ({counted(len(rows), 'line')}), reconciliation run #{run.pk}",
                entry_date=max((row.settled_on or run.run_date) for row in rows),
            )
        except (
            LedgerError,
            EntryConflictError,
        ) as error:  # e.g. posted before with other amounts: a person must look
            problems.append(f"settlement '{settlement_id}' not posted: {error.message}")
    return problems
