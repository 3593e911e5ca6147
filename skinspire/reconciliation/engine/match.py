"""`reconcile`: the whole engine, pure: rows in, one outcome per pair or leftover row out."""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import compress
from operator import attrgetter, itemgetter

from skinspire.reconciliation.engine import exact, passes, scoring, verdicts
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.engine.pool import Pool, check_keys_unique
from skinspire.reconciliation.engine.rows import (
    DEBIT_KINDS,
    ZERO,
    Category,
    GatewayRow,
    MatchingRules,
    Outcome,
    SystemRow,
)

GATEWAY_KEYS, SYSTEM_KEYS = itemgetter(1), itemgetter(2)  # Outcome fields, read from C while sorting


@dataclass(frozen=True)
class Totals:
    """What the gateway rows add up to: gross (money in minus money out), fees, tax, net."""

    gross: Decimal = ZERO
    fees: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.fees


@dataclass(frozen=True)
class Reconciliation:
    outcomes: tuple[Outcome, ...]
    totals: Totals

    def counts(self) -> dict[Category, int]:
        """Rows per category (a pair of one gateway line and two payments counts 3)."""
        counted: Counter[Category] = Counter()
        for outcome in self.outcomes:
            counted[outcome.category] += len(outcome.gateway_keys) + len(outcome.system_keys)
        return {category: counted[category] for category in Category}

    def match_rate(self) -> Decimal:
        """Matched rows over the rows that had something to match (expected and nothing-due
        rows are left out: nothing is wrong with them yet)."""
        counts = self.counts()
        considered = sum(counts.values()) - counts[Category.EXPECTED] - counts[Category.NOTHING_DUE]
        if not considered:
            return Decimal("1.0000")
        return (Decimal(counts[Category.MATCHED]) / considered).quantize(Decimal("0.0001"))

    def category_of(self) -> dict[tuple[str, str], Category]:
        """(side, key) → category, for every row of both sides."""
        found = {}
        for outcome in self.outcomes:
            for key in outcome.gateway_keys:
                found[("gateway", key)] = outcome.category
            for key in outcome.system_keys:
                found[("system", key)] = outcome.category
        return found


def reconcile(
    *,
    gateway_rows: Iterable[GatewayRow],
    system_rows: Iterable[SystemRow],
    as_of: date,
    rules: MatchingRules | None = None,
    on_final: Callable[[Sequence[Outcome]], object] | None = None,
) -> Reconciliation:
    """`on_final`, when given, is called with outcomes as soon as they are final, in batches
    (tuples, in no particular order), each outcome exactly once over all the calls; the
    result holds them all, in order, whether or not it is given. The pairs of unique gateway
    ids, nine rows in ten, are final after the first step, so a caller can store them while
    the other passes run (services/results.py). An exception from it ends the matching."""
    final = on_final or _ignored
    try:
        with cyclic_gc_paused():
            return _reconcile(list(gateway_rows), list(system_rows), as_of, rules or MatchingRules(), final)
    finally:
        scoring.forget()


def _ignored(outcomes: Sequence[Outcome]) -> None:
    pass


def _reconcile(
    gateway_rows: list[GatewayRow],
    system_rows: list[SystemRow],
    as_of: date,
    rules: MatchingRules,
    on_final: Callable[[Sequence[Outcome]], object],
) -> Reconciliation:
    check_keys_unique(gateway_rows, side="gateway")
    check_keys_unique(system_rows, side="system")
    paired, gateway_left, system_left = exact.unique_id_outcomes(gateway_rows, system_rows, rules)
    early = tuple(paired)  # a tuple: whoever took it may still be reading it
    on_final(early)
    totals = _totals(gateway_rows)  # after handing the pairs over: they need no totals
    pool = Pool(gateway_rows=gateway_left, system_rows=system_left)
    outcomes = verdicts.gateway_duplicates(pool)
    by_id = passes.by_gateway_id(pool)
    ours_alone = verdicts.system_duplicates(pool, by_id)  # outcomes that name no gateway row
    pairings = (
        by_id + passes.by_utr_and_amount(pool) + passes.one_to_many(pool, rules) + passes.fuzzy(pool, rules)
    )
    outcomes += [verdicts.pairing_outcome(pairing, rules) for pairing in pairings]
    outcomes += [verdicts.gateway_leftover(row, rules) for row in pool.gateway_rows()]
    ours_alone += [verdicts.system_leftover(row, rules, as_of) for row in pool.system_rows()]
    on_final((*outcomes, *ours_alone))
    return Reconciliation(outcomes=_in_order([*early, *outcomes], ours_alone), totals=totals)


def _in_order(with_gateway_row: list[Outcome], ours_alone: list[Outcome]) -> tuple[Outcome, ...]:
    """The outcomes in `Outcome.sort_key` order, (gateway keys, system keys), sorted cheaply.

    Outcomes without a gateway row come first (their gateway keys are ()), by their system
    keys. Each of the others names exactly one gateway row, and no two the same one (keys are
    unique), so their gateway keys alone order them. Sorting by one-tuples of strings keeps
    Python's sort on its fast path for strings (a million pairs: 0.6 s with the pair of tuples
    as key, about a tenth of that this way, since the exact pairs come in nearly in order).
    """
    ours_alone.sort(key=SYSTEM_KEYS)
    with_gateway_row.sort(key=GATEWAY_KEYS)
    return (*ours_alone, *with_gateway_row)


def _totals(rows: list[GatewayRow]) -> Totals:
    """Sums over columns (sum() over a map runs in C): a run adds up a million lines."""
    amount = attrgetter("amount")
    debits = compress(rows, map(DEBIT_KINDS.__contains__, map(attrgetter("kind"), rows)))
    gross = sum(map(amount, rows), ZERO) - 2 * sum(map(amount, debits), ZERO)
    fees = sum(map(attrgetter("fee"), rows), ZERO)
    tax = sum(map(attrgetter("tax"), rows), ZERO)
    return Totals(gross=gross, fees=fees, tax=tax)
