"""The matching engine's inputs and outputs: frozen rows, no ORM.

Rows and outcomes are named tuples, not dataclasses: a run makes millions of them, and a
tuple is built about five times faster than a frozen dataclass (bench/bench_reconciliation.py).
Change one with `row._replace(field=...)`.

A GatewayRow is one line of what the gateway says it settled (a Razorpay recon item, a Paytm
settlement row, a line of an uploaded report); a SystemRow is one of our payouts, patient
payments or refunds. `key` identifies a row within its side of one run and must be unique
there: it is what outcomes point at, and what makes the result independent of input order.
"""

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

ZERO = Decimal("0.00")


class Kind(StrEnum):
    COLLECTION = "collection"  # money in: a patient payment (Razorpay `payment`, Paytm SALE)
    REFUND = "refund"  # money back to a patient, deducted from a settlement
    PAYOUT = "payout"  # money out to a supplier
    # A payout's amount and fees back in the payouts balance (failed after it was debited,
    # or reversed by the bank): money in, so not a debit kind.
    PAYOUT_REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"  # gateway-only lines (chargebacks, transfers): never ours


# Amounts that leave the merchant's balance; the rest arrive in it.
DEBIT_KINDS = frozenset({Kind.REFUND, Kind.PAYOUT})


class RowStatus(StrEnum):
    SUCCESS = "success"  # captured / processed / settled
    FAILED = "failed"  # failed, reversed, rejected
    PENDING = "pending"  # not final yet


class Category(StrEnum):
    MATCHED = "matched"
    AMOUNT_MISMATCH = "amount_mismatch"
    FEE_MISMATCH = "fee_mismatch"
    STATUS_MISMATCH = "status_mismatch"
    MISSING_IN_SYSTEM = "missing_in_system"
    MISSING_AT_GATEWAY = "missing_at_gateway"
    DUPLICATE = "duplicate"
    EXPECTED = "expected"  # ours, not settled yet, still inside the settlement cycle
    # Ours, failed, and absent from the settlement: both sides agree nothing moved. Not a
    # match (nothing was paired) and not a discrepancy, so it is kept out of both.
    NOTHING_DUE = "nothing_due"


DISCREPANCIES = frozenset(
    {
        Category.AMOUNT_MISMATCH,
        Category.FEE_MISMATCH,
        Category.STATUS_MISMATCH,
        Category.MISSING_IN_SYSTEM,
        Category.MISSING_AT_GATEWAY,
        Category.DUPLICATE,
    }
)


class Pass(StrEnum):
    GATEWAY_ID = "gateway_id"
    UTR_AMOUNT = "utr_amount"
    ONE_TO_MANY = "one_to_many"
    FUZZY = "fuzzy"
    NONE = "none"  # not paired: duplicates, missing rows, expected rows


class GatewayRow(NamedTuple):
    key: str
    gateway_id: str  # pay_/rfnd_/pout_... or Paytm's txnId
    utr: str
    amount: Decimal  # gross, positive; `kind` says which way it moved
    fee: Decimal  # including tax, as both gateways report it
    tax: Decimal
    status: RowStatus
    date: date  # when the transaction happened
    kind: Kind
    reference: str = ""  # our receipt / order id as the gateway echoes it
    notes: str = ""
    settlement_id: str = ""
    settled_on: datetime.date | None = None  # `date` here is the field above


class SystemRow(NamedTuple):
    key: str  # e.g. "collection:42"
    gateway_id: str
    utr: str
    amount: Decimal
    expected_fee: Decimal | None  # None when we cannot know it (the fee is then not checked)
    status: RowStatus
    date: date
    kind: Kind
    reference: str = ""


@dataclass(frozen=True)
class MatchingRules:
    """How the engine decides; one per gateway configuration (stored on it as JSON)."""

    date_window_days: int = 2  # the fuzzy pass looks this many days either side
    settlement_cycle_days: int = 2  # Razorpay settles T+2 by default (reference §6.1)
    amount_tolerance: Decimal = Decimal("1.00")  # the fuzzy pass pairs amounts this close
    fee_tolerance: Decimal = ZERO


class Outcome(NamedTuple):
    """One verdict: a pair or group of rows that were matched, or one unpaired row.

    `score` is 1.000 for an exact key match, lower for weaker evidence; `rule` says in words
    what made the match (shown to accountants in admin).
    """

    category: Category
    gateway_keys: tuple[str, ...]
    system_keys: tuple[str, ...]
    match_pass: Pass
    rule: str
    score: Decimal
    amount_difference: Decimal = ZERO  # gateway minus system
    fee_difference: Decimal = ZERO  # gateway minus expected

    @property
    def sort_key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.gateway_keys, self.system_keys
