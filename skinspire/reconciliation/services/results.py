"""A run's engine result stored: one item per row, with the run's counts and totals."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection

from skinspire.reconciliation.engine import (
    DISCREPANCIES,
    Category,
    GatewayRow,
    Outcome,
    Reconciliation,
    SystemRow,
)
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services.copying import NULL, copy_text, is_plain, quoted

BATCH = 5000
OUTCOMES_PER_CHUNK = 10_000  # about 20,000 items: one COPY write


# The columns an item is stored with, in the order `_items` gives them.
ITEM_ATTRIBUTES = (
    "run_id", "group", "category", "match_pass", "rule", "score", "amount_difference", "fee_difference",
    "side", "key", "kind", "row_status", "gateway_id", "utr", "reference", "transaction_date", "amount", "fee",
    "tax",
)  # fmt: skip
GATEWAY, SYSTEM = ReconciliationItem.Side.GATEWAY.value, ReconciliationItem.Side.SYSTEM.value


def outcome_group(outcome: Outcome) -> str:
    return f"g:{outcome.gateway_keys[0]}" if outcome.gateway_keys else f"s:{outcome.system_keys[0]}"


def _items(
    run, outcomes: Iterable[Outcome], gateway: dict[str, GatewayRow], system: dict[str, SystemRow]
) -> Iterator[tuple]:
    """Each item's values in ITEM_ATTRIBUTES order (tuples: millions of them, no model objects),
    NULL as copying.NULL."""
    for outcome in outcomes:
        common = (
            run.pk,
            outcome_group(outcome)[:220],
            outcome.category,  # members of StrEnums: strings already, written as their value
            outcome.match_pass,
            outcome.rule,
            outcome.score,
            outcome.amount_difference,
            outcome.fee_difference,
        )
        for key in outcome.gateway_keys:
            row = gateway[key]
            yield (
                *common, GATEWAY, key, row.kind, row.status, row.gateway_id, row.utr,
                row.reference or row.notes[:200], row.date, row.amount, row.fee, row.tax,
            )  # fmt: skip
        for key in outcome.system_keys:
            ours = system[key]
            yield (
                *common, SYSTEM, key, ours.kind, ours.status, ours.gateway_id, ours.utr,
                ours.reference, ours.date, ours.amount, NULL if ours.expected_fee is None else ours.expected_fee, NULL,
            )  # fmt: skip


def _lines(
    run, outcomes: Sequence[Outcome], gateway: dict[str, GatewayRow], system: dict[str, SystemRow]
) -> list[str]:
    """`_items`' values as COPY's lines, formatted straight from the rows: what the items of
    one outcome share (its verdict) is formatted once for all of them, and no tuple is made
    per item (40% of storing's Python time at a million rows)."""
    join, run_id, lines = "\t".join, str(run.pk), []
    for outcome in outcomes:
        common = join((
            run_id, outcome_group(outcome)[:220], outcome.category, outcome.match_pass, outcome.rule,
            str(outcome.score), str(outcome.amount_difference), str(outcome.fee_difference),
        ))  # fmt: skip
        for key in outcome.gateway_keys:
            row = gateway[key]
            lines.append(common + "\t" + join((
                GATEWAY, key, row.kind, row.status, row.gateway_id, row.utr, row.reference or row.notes[:200],
                str(row.date), str(row.amount), str(row.fee), str(row.tax),
            )))  # fmt: skip
        for key in outcome.system_keys:
            ours = system[key]
            lines.append(common + "\t" + join((
                SYSTEM, key, ours.kind, ours.status, ours.gateway_id, ours.utr, ours.reference, str(ours.date),
                str(ours.amount), NULL if ours.expected_fee is None else str(ours.expected_fee), NULL,
            )))  # fmt: skip
    return lines


def _item_chunks(
    run, result: Reconciliation, gateway: dict[str, GatewayRow], system: dict[str, SystemRow]
) -> Iterator[str]:
    """COPY's text, a chunk of outcomes at a time; a chunk where some text holds a tab, a quote
    or a line break is written again from `_items` and quoted."""
    outcomes = iter(result.outcomes)
    while chunk := list(islice(outcomes, OUTCOMES_PER_CHUNK)):
        lines = _lines(run, chunk, gateway, system)
        text = "\n".join(lines) + "\n"
        plain = is_plain(text, width=len(ITEM_ATTRIBUTES), rows=len(lines))
        yield text if plain else quoted(_items(run, chunk, gateway, system))


def _as_fields(values: tuple) -> dict:
    fields = dict(zip(ITEM_ATTRIBUTES, values, strict=True))
    for name in ("fee", "tax"):
        fields[name] = None if fields[name] == NULL else fields[name]
    return fields


def _insert(items: Iterator[dict]) -> None:
    batch: list[ReconciliationItem] = []
    for values in items:
        batch.append(ReconciliationItem(**values))
        if len(batch) == BATCH:
            ReconciliationItem.objects.bulk_create(batch)
            batch = []
    ReconciliationItem.objects.bulk_create(batch)


def run_results_store(
    *,
    run: ReconciliationRun,
    result: Reconciliation,
    gateway_rows: Iterable[GatewayRow],
    system_rows: Iterable[SystemRow],
) -> None:
    gateway = {row.key: row for row in gateway_rows}
    system = {row.key: row for row in system_rows}
    if connection.vendor == "postgresql":
        with cyclic_gc_paused():  # millions of lines (engine/memory.py)
            copy_text(ReconciliationItem, ITEM_ATTRIBUTES, _item_chunks(run, result, gateway, system))
    else:
        _insert(_as_fields(values) for values in _items(run, result.outcomes, gateway, system))
    counts = result.counts()
    run.gateway_row_count, run.system_row_count = len(gateway), len(system)
    run.category_counts = {category.value: count for category, count in counts.items()}
    run.matched_count = counts[Category.MATCHED]
    run.discrepancy_count = sum(counts[category] for category in DISCREPANCIES)
    run.match_rate = result.match_rate()
    run.gross, run.fees, run.tax = result.totals.gross, result.totals.fees, result.totals.tax
    run.net = result.totals.net
    run.save(
        update_fields=[
            "gateway_row_count",
            "system_row_count",
            "category_counts",
            "matched_count",
            "discrepancy_count",
            "match_rate",
            "gross",
            "fees",
            "tax",
            "net",
        ]
    )
