"""The common case, first and in bulk: a gateway id that one line and one row of ours carry.

In a normal settlement nine rows in ten are paired this way. Taking them before the pool is
built keeps them out of the general passes (which sort, score and compare), and costs a few
hash look-ups per row: the same hash join PostgreSQL would do on the id.

It changes no result. An id that exactly one gateway row and exactly one row of ours carry,
with the same kind, is what the gateway-id pass pairs anyway: neither row can be a duplicate
(those need a second row with the id), and no other row could claim either of them. Every
other row (no id, an id repeated on either side, kinds that differ) goes on to the pool, with
all the rows that share its id, so the passes there see exactly what they saw before. The
verdict is the one `verdicts.paired_outcome` gives, written out for one row of ours.
"""

from collections import Counter
from operator import attrgetter

from skinspire.reconciliation.engine import scoring
from skinspire.reconciliation.engine.rows import (
    ZERO,
    Category,
    GatewayRow,
    MatchingRules,
    Outcome,
    Pass,
    SystemRow,
)

gateway_id_of = attrgetter("gateway_id")


def unique_id_outcomes(
    gateway_rows: list[GatewayRow], system_rows: list[SystemRow], rules: MatchingRules
) -> tuple[list[Outcome], list[GatewayRow], list[SystemRow]]:
    """(outcomes of the pairs, gateway rows left, system rows left)."""
    gateway_counts = Counter(map(gateway_id_of, gateway_rows))
    system_counts = Counter(map(gateway_id_of, system_rows))
    ours = dict(zip(map(gateway_id_of, system_rows), system_rows, strict=True))
    outcomes, gateway_left, paired = [], [], set()
    for gateway, found in zip(gateway_rows, map(ours.get, map(gateway_id_of, gateway_rows)), strict=True):
        identity = gateway.gateway_id
        if (
            found is None
            or not identity
            or found.kind != gateway.kind
            or gateway_counts[identity] != 1
            or system_counts[identity] != 1
        ):
            gateway_left.append(gateway)
            continue
        paired.add(found.key)
        outcomes.append(_outcome(gateway, found, rules))
    return outcomes, gateway_left, [row for row in system_rows if row.key not in paired]


def _outcome(gateway: GatewayRow, ours: SystemRow, rules: MatchingRules) -> Outcome:
    amount_difference = gateway.amount - ours.amount
    fee_difference = ZERO if ours.expected_fee is None else gateway.fee - ours.expected_fee
    if ours.status != gateway.status:
        category = Category.STATUS_MISMATCH
    elif amount_difference:
        category = Category.AMOUNT_MISMATCH
    elif abs(fee_difference) > rules.fee_tolerance:
        category = Category.FEE_MISMATCH
    else:
        category = Category.MATCHED
    # tuple.__new__ builds the named tuple in C (Outcome's own __new__ is a Python function).
    return tuple.__new__(
        Outcome,
        (
            category,
            (gateway.key,),
            (ours.key,),
            Pass.GATEWAY_ID,
            f"gateway id {gateway.gateway_id} on both sides",
            scoring.GATEWAY_ID,
            amount_difference,
            fee_difference,
        ),
    )
