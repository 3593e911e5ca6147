"""`reconcile`: the whole engine, pure: rows in, one outcome per pair or leftover row out."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter, itemgetter

from skinspire.reconciliation.engine import exact, passes, verdicts
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

OUTCOME_ORDER = itemgetter(1, 2)  # Outcome.sort_key, without a Python call per outcome


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
) -> Reconciliation:
    with cyclic_gc_paused():
        return _reconcile(list(gateway_rows), list(system_rows), as_of, rules or MatchingRules())


def _reconcile(
    gateway_rows: list[GatewayRow], system_rows: list[SystemRow], as_of: date, rules: MatchingRules
) -> Reconciliation:
    check_keys_unique(gateway_rows, side="gateway")
    check_keys_unique(system_rows, side="system")
    totals = _totals(gateway_rows)
    outcomes, gateway_left, system_left = exact.unique_id_outcomes(gateway_rows, system_rows, rules)
    pool = Pool(gateway_rows=gateway_left, system_rows=system_left)
    outcomes += verdicts.gateway_duplicates(pool)
    by_id = passes.by_gateway_id(pool)
    outcomes += verdicts.system_duplicates(pool, by_id)
    pairings = (
        by_id + passes.by_utr_and_amount(pool) + passes.one_to_many(pool, rules) + passes.fuzzy(pool, rules)
    )
    outcomes += [verdicts.pairing_outcome(pairing, rules) for pairing in pairings]
    outcomes += [verdicts.gateway_leftover(row, rules) for row in pool.gateway_rows()]
    outcomes += [verdicts.system_leftover(row, rules, as_of) for row in pool.system_rows()]
    outcomes.sort(key=OUTCOME_ORDER)
    return Reconciliation(outcomes=tuple(outcomes), totals=totals)


def _totals(rows: list[GatewayRow]) -> Totals:
    """Sums over columns (sum() over a map runs in C): a run adds up a million lines."""
    debits = [row for row in rows if row.kind in DEBIT_KINDS]
    amount = attrgetter("amount")
    gross = sum(map(amount, rows), ZERO) - 2 * sum(map(amount, debits), ZERO)
    fees = sum(map(attrgetter("fee"), rows), ZERO)
    tax = sum(map(attrgetter("tax"), rows), ZERO)
    return Totals(gross=gross, fees=fees, tax=tax)
