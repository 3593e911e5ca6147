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
from operator import attrgetter, eq, gt, is_, is_not, ne, not_, sub

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


def unique_id_outcomes(
    gateway_rows: list[GatewayRow], system_rows: list[SystemRow], rules: MatchingRules
) -> tuple[list[Outcome], list[GatewayRow], list[SystemRow]]:
    """(outcomes of the pairs, gateway rows left, system rows left)."""
    gateway_ids = list(map(gateway_id_of, gateway_rows))
    system_ids = list(map(gateway_id_of, system_rows))
    ours = dict(zip(system_ids, system_rows, strict=True))  # the last row of ours with each id
    shut_out = {""} | _repeated_ids_of_ours(ours, system_ids, system_rows)
    for identity in shut_out:
        ours.pop(identity, None)
    unpaired = ours.copy()
    # Each gateway row takes the row of ours with its id out of `unpaired` (one hash look-up
    # that both finds and marks it). A second line with the same id then finds nothing: its id
    # is in `ours` but no longer in `unpaired`, and is how gateway duplicates show.
    found: list[SystemRow | None] = list(map(unpaired.pop, gateway_ids, repeat(None)))
    repeated = set(filter(ours.__contains__, compress(gateway_ids, map(not_, found))))
    theirs, mine = list(compress(gateway_rows, found)), _found_rows(found)
    kinds_agree = list(map(eq, map(kind_of, theirs), map(kind_of, mine)))
    undone = repeated | set(compress(map(gateway_id_of, theirs), map(not_, kinds_agree)))
    taken_back: list[SystemRow] = []
    if undone:  # the first line with a repeated id (or with another kind) gives its row back
        taken_back = _found_rows(list(compress(found, map(undone.__contains__, gateway_ids))))
        found = list(map(dict.fromkeys(undone).get, gateway_ids, found))  # None for those ids
        theirs, mine = list(compress(gateway_rows, found)), _found_rows(found)
    gateway_left = list(compress(gateway_rows, map(not_, found)))
    system_left = [*unpaired.values(), *taken_back]
    system_left += compress(system_rows, map(shut_out.__contains__, system_ids))
    return _outcomes(theirs, mine, list(compress(gateway_ids, found)), rules), gateway_left, system_left


def _found_rows(found: list[SystemRow | None]) -> list[SystemRow]:
    return list(compress(found, found))  # type: ignore[arg-type]  # a row is truthy, None not


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
    expected_fees = list(map(expected_fee_of, mine))
    if any(map(is_, expected_fees, repeat(None))):  # a fee we cannot know is not checked
        fee_differences = [
            ZERO if expected is None else fee - expected
            for fee, expected in zip(map(fee_of, theirs), expected_fees, strict=True)
        ]
    else:
        fee_differences = list(map(sub, map(fee_of, theirs), expected_fees))
    if rules.fee_tolerance:
        fees_differ = map(gt, map(abs, fee_differences), repeat(rules.fee_tolerance))
    else:  # no tolerance (the default): any difference at all, without abs()
        fees_differ = map(bool, fee_differences)
    categories = map(
        VERDICTS.__getitem__,
        zip(
            map(ne, map(status_of, mine), map(status_of, theirs)),
            map(bool, amount_differences),
            fees_differ,
            strict=True,
        ),
    )
    fields = zip(
        categories,
        zip(map(key_of, theirs)),  # zip of one column: one-tuples, (key,)
        zip(map(key_of, mine)),
        repeat(Pass.GATEWAY_ID),
        # An f-string in a comprehension: a third of the time of map(str.format, ...).
        [f"gateway id {identity} on both sides" for identity in paired_ids],  # as passes words it
        repeat(scoring.GATEWAY_ID),
        amount_differences,
        fee_differences,
    )
    # tuple.__new__ builds the named tuple in C (Outcome's own __new__ is a Python function).
    return list(map(tuple.__new__, repeat(Outcome), fields))
