"""From pairings and leftovers to one category per row.

A matched pair is checked in order of consequence: status first (we say failed, the gateway
settled it, or the reverse), then the amount, then the fee. Leftovers are missing (in the
system or at the gateway), expected (ours, still inside the settlement cycle), or nothing
due (failed on the side that has it, so absent from the other side is right).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import product

from skinspire.core.text import counted
from skinspire.reconciliation.engine.pool import Pairing, Pool
from skinspire.reconciliation.engine.rows import (
    ZERO,
    Category,
    GatewayRow,
    MatchingRules,
    Outcome,
    Pass,
    RowStatus,
    SystemRow,
)

NO_SCORE = Decimal("0.000")


def verdict(*, status_differs: bool, amount_differs: bool, fee_differs: bool) -> Category:
    """A pair's category: the most consequential difference wins."""
    if status_differs:
        return Category.STATUS_MISMATCH
    if amount_differs:
        return Category.AMOUNT_MISMATCH
    if fee_differs:
        return Category.FEE_MISMATCH
    return Category.MATCHED


# verdict() as a table, (status differs, amount differs, fee differs) -> category: exact.py
# looks a million pairs up in it from C instead of calling a Python function for each.
VERDICTS = {
    (status, amount, fee): verdict(status_differs=status, amount_differs=amount, fee_differs=fee)
    for status, amount, fee in product((False, True), repeat=3)
}


def pairing_outcome(pairing: Pairing, rules: MatchingRules) -> Outcome:
    return paired_outcome(
        pairing.gateway, pairing.system, pairing.match_pass, pairing.rule, pairing.score, rules
    )


def paired_outcome(
    gateway: GatewayRow,
    ours: tuple[SystemRow, ...],
    match_pass: Pass,
    rule: str,
    score: Decimal,
    rules: MatchingRules,
) -> Outcome:
    if len(ours) == 1:  # the common case, without the sums
        amount_difference = gateway.amount - ours[0].amount
        expected = ours[0].expected_fee
        fee_difference = ZERO if expected is None else gateway.fee - expected
        status_differs = ours[0].status != gateway.status
    else:
        amount_difference = gateway.amount - sum((row.amount for row in ours), ZERO)
        fees = [row.expected_fee for row in ours]
        fee_difference = ZERO
        if all(fee is not None for fee in fees):
            fee_difference = gateway.fee - sum((fee for fee in fees if fee is not None), ZERO)
        status_differs = any(row.status != gateway.status for row in ours)
    category = verdict(
        status_differs=status_differs,
        amount_differs=bool(amount_difference),
        fee_differs=abs(fee_difference) > rules.fee_tolerance,
    )
    keys = (ours[0].key,) if len(ours) == 1 else tuple(row.key for row in ours)
    fields = (category, (gateway.key,), keys, match_pass, rule, score, amount_difference, fee_difference)
    return tuple.__new__(Outcome, fields)  # in C (Outcome's own __new__ is a Python function)


def gateway_leftover(row: GatewayRow, rules: MatchingRules) -> Outcome:
    if row.status == RowStatus.FAILED:
        category, rule = Category.NOTHING_DUE, "failed at the gateway and not in our records"
    else:
        category = Category.MISSING_IN_SYSTEM
        rule = (
            "no row of ours with this gateway id, UTR and amount, or a close amount "
            f"within ±{counted(rules.date_window_days, 'day')}"
        )
    return Outcome(category, (row.key,), (), Pass.NONE, rule, NO_SCORE, amount_difference=row.amount)


def system_leftover(row: SystemRow, rules: MatchingRules, as_of: date) -> Outcome:
    age = (as_of - row.date).days
    if row.status == RowStatus.FAILED:
        category, rule = Category.NOTHING_DUE, "failed on our side and not settled by the gateway"
    elif age <= rules.settlement_cycle_days:
        category = Category.EXPECTED
        rule = f"not settled yet, {counted(age, 'day')} old, settlement cycle {counted(rules.settlement_cycle_days, 'day')}"
    else:
        category = Category.MISSING_AT_GATEWAY
        rule = f"not settled {counted(age, 'day')} later, past the {rules.settlement_cycle_days}-day settlement cycle"
    return Outcome(category, (), (row.key,), Pass.NONE, rule, NO_SCORE, amount_difference=-row.amount)


def _duplicate(*, gateway_key: str = "", system_key: str = "", of: str, why: str) -> Outcome:
    return Outcome(
        Category.DUPLICATE,
        (gateway_key,) if gateway_key else (),
        (system_key,) if system_key else (),
        Pass.NONE,
        f"{why} as {of}",
        NO_SCORE,
    )


def gateway_duplicates(pool: Pool) -> list[Outcome]:
    """A gateway line repeated (same id, or without an id the same UTR, amount, date and
    reference): the first by key stays in play, the others are duplicates."""
    first: dict[tuple, GatewayRow] = {}
    outcomes = []
    for row in pool.gateway_rows():
        identity = (
            (row.kind, row.gateway_id)
            if row.gateway_id
            else (row.kind, row.utr, row.amount, row.date, row.reference)
        )
        if identity in first:
            pool.take(gateway=row)
            why = (
                f"same gateway id {row.gateway_id}"
                if row.gateway_id
                else "same UTR, amount, date and reference"
            )
            outcomes.append(_duplicate(gateway_key=row.key, of=first[identity].key, why=why))
        else:
            first[identity] = row
    return outcomes


def system_duplicates(pool: Pool, paired: list[Pairing]) -> list[Outcome]:
    """Rows of ours left over with a gateway id that another row of ours already carries."""
    first: dict[tuple, str] = {}
    for pairing in paired:
        for row in pairing.system:
            first.setdefault((row.kind, row.gateway_id), row.key)
    holders: dict[tuple, list[SystemRow]] = defaultdict(list)
    for row in pool.system_rows():
        if row.gateway_id:
            holders[(row.kind, row.gateway_id)].append(row)
    outcomes = []
    for identity, rows in holders.items():
        original = first.get(identity) or rows[0].key
        for row in rows:
            if row.key != original:
                pool.take(system=[row])
                outcomes.append(
                    _duplicate(system_key=row.key, of=original, why=f"same gateway id {row.gateway_id}")
                )
    return outcomes
