"""The common case, first and in bulk: a gateway id that one line and one row of ours carry.

In a normal settlement nine rows in ten are paired this way. Taking them before the pool is
built keeps them out of the general passes (which sort, score and compare), and costs a few
hash look-ups per row: the same hash join PostgreSQL would do on the id.

It changes no result. An id that exactly one gateway row and exactly one row of ours carry,
with the same kind, is what the gateway-id pass pairs anyway: neither row can be a duplicate
(those need a second row with the id), and no other row could claim either of them. Every
other row (no id, an id repeated on either side, kinds that differ) goes on to the pool, with
all the rows that share its id, so the passes there see exactly what they saw before. The
verdict is the one `verdicts.paired_outcome` gives for one row of ours.

Written column-wise: each step is a map, zip or compress over whole columns, so the loops run
in C (`map(sub, ...)` instead of `a - b` in a Python loop). With a million pairs, a Python
statement per row costs more than all the hashing (bench/bench_recon_engine.py).
"""

from itertools import compress, repeat
from operator import attrgetter, eq, gt, is_not, ne, not_, sub

from skinspire.reconciliation.engine import scoring
from skinspire.reconciliation.engine.rows import (
    ZERO,
    GatewayRow,
    MatchingRules,
    Outcome,
    Pass,
    SystemRow,
)
from skinspire.reconciliation.engine.verdicts import VERDICTS

gateway_id_of = attrgetter("gateway_id")
key_of, kind_of, status_of, amount_of = (attrgetter(name) for name in ("key", "kind", "status", "amount"))
fee_of, expected_fee_of = attrgetter("fee"), attrgetter("expected_fee")
RULE = "gateway id {} on both sides"  # as passes.by_gateway_id words it


def unique_id_outcomes(
    gateway_rows: list[GatewayRow], system_rows: list[SystemRow], rules: MatchingRules
) -> tuple[list[Outcome], list[GatewayRow], list[SystemRow]]:
    """(outcomes of the pairs, gateway rows left, system rows left)."""
    gateway_ids = list(map(gateway_id_of, gateway_rows))
    system_ids = list(map(gateway_id_of, system_rows))
    ours = dict(zip(system_ids, system_rows, strict=True))  # the last row of ours with each id
    shut_out = {""} | _repeated_ids(gateway_ids) | _repeated_ids_of_ours(ours, system_ids, system_rows)
    for identity in shut_out:
        ours.pop(identity, None)
    found: list[SystemRow | None] = list(
        map(ours.get, gateway_ids)
    )  # row of ours for each gateway row, or None
    theirs, mine = list(compress(gateway_rows, found)), _found_rows(found)
    kinds_agree = list(map(eq, map(kind_of, theirs), map(kind_of, mine)))
    if not all(kinds_agree):  # rare: the same id on a payment and a refund, say
        differing = set(compress(map(gateway_id_of, theirs), map(not_, kinds_agree)))
        shut_out |= differing
        for identity in differing:
            del ours[identity]
        found = list(map(ours.get, gateway_ids))
        theirs, mine = list(compress(gateway_rows, found)), _found_rows(found)
    paired_ids = list(compress(gateway_ids, found))
    for _ in map(ours.pop, paired_ids):  # what stays in `ours` is unpaired
        pass
    gateway_left = list(compress(gateway_rows, map(not_, found)))
    system_left = list(ours.values())
    system_left += compress(system_rows, map(shut_out.__contains__, system_ids))
    return _outcomes(theirs, mine, paired_ids, rules), gateway_left, system_left


def _found_rows(found: list[SystemRow | None]) -> list[SystemRow]:
    return list(compress(found, found))  # type: ignore[arg-type]  # a row is truthy, None not


def _repeated_ids(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    add = seen.add
    return {identity for identity in ids if identity in seen or add(identity)}


def _repeated_ids_of_ours(ours: dict, ids: list[str], rows: list[SystemRow]) -> set[str]:
    """Ids on more than one row of ours: a row that is not the one `ours` kept for its id.
    Usually only "" repeats, which the count of rows without an id tells without a pass."""
    if len(ours) == len(rows) - max(ids.count("") - 1, 0):
        return set()
    return set(compress(ids, map(is_not, map(ours.__getitem__, ids), rows)))


def _outcomes(
    theirs: list[GatewayRow], mine: list[SystemRow], paired_ids: list[str], rules: MatchingRules
) -> list[Outcome]:
    """One outcome per pair, as verdicts.paired_outcome gives it, column by column."""
    amount_differences = list(map(sub, map(amount_of, theirs), map(amount_of, mine)))
    fee_differences = [
        ZERO if expected is None else fee - expected
        for fee, expected in zip(map(fee_of, theirs), map(expected_fee_of, mine), strict=True)
    ]
    categories = map(
        VERDICTS.__getitem__,
        zip(
            map(ne, map(status_of, mine), map(status_of, theirs)),
            map(bool, amount_differences),
            map(gt, map(abs, fee_differences), repeat(rules.fee_tolerance)),
            strict=True,
        ),
    )
    fields = zip(
        categories,
        zip(map(key_of, theirs)),  # zip of one column: one-tuples, (key,)
        zip(map(key_of, mine)),
        repeat(Pass.GATEWAY_ID),
        map(RULE.format, paired_ids),
        repeat(scoring.GATEWAY_ID),
        amount_differences,
        fee_differences,
    )
    # tuple.__new__ builds the named tuple in C (Outcome's own __new__ is a Python function).
    return list(map(tuple.__new__, repeat(Outcome), fields))
