"""`reconcile`: the whole engine, pure: rows in, one outcome per pair or leftover row out."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from skinspire.reconciliation.engine import passes, verdicts
from skinspire.reconciliation.engine.pool import Pool
from skinspire.reconciliation.engine.rows import (
    DEBIT_KINDS,
    ZERO,
    Category,
    GatewayRow,
    MatchingRules,
    Outcome,
    SystemRow,
)


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
    rules = rules or MatchingRules()
    pool = Pool(gateway_rows=gateway_rows, system_rows=system_rows)
    totals = _totals(pool.gateway.values())
    outcomes = verdicts.gateway_duplicates(pool)
    by_id = passes.by_gateway_id(pool)
    outcomes += verdicts.system_duplicates(pool, by_id)
    pairings = (
        by_id + passes.by_utr_and_amount(pool) + passes.one_to_many(pool, rules) + passes.fuzzy(pool, rules)
    )
    outcomes += [verdicts.pairing_outcome(pairing, rules) for pairing in pairings]
    outcomes += [verdicts.gateway_leftover(row, rules) for row in pool.gateway_rows()]
    outcomes += [verdicts.system_leftover(row, rules, as_of) for row in pool.system_rows()]
    return Reconciliation(outcomes=tuple(sorted(outcomes, key=lambda item: item.sort_key)), totals=totals)


def _totals(rows: Iterable[GatewayRow]) -> Totals:
    gross = fees = tax = ZERO
    for row in rows:
        gross += -row.amount if row.kind in DEBIT_KINDS else row.amount
        fees += row.fee
        tax += row.tax
    return Totals(gross=gross, fees=fees, tax=tax)
