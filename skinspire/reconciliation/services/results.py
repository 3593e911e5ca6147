"""A run's engine result stored: one item per row, with the run's counts and totals."""

from collections.abc import Iterable, Iterator

from django.db import connection

from skinspire.reconciliation.engine import (
    DISCREPANCIES,
    Category,
    GatewayRow,
    Outcome,
    Reconciliation,
    SystemRow,
)
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun

BATCH = 5000


def outcome_group(outcome: Outcome) -> str:
    return f"g:{outcome.gateway_keys[0]}" if outcome.gateway_keys else f"s:{outcome.system_keys[0]}"


def _common(run: ReconciliationRun, outcome: Outcome) -> dict:
    return {
        "run_id": run.pk,
        "group": outcome_group(outcome)[:220],
        "category": outcome.category.value,
        "match_pass": outcome.match_pass.value,
        "rule": outcome.rule,
        "score": outcome.score,
        "amount_difference": outcome.amount_difference,
        "fee_difference": outcome.fee_difference,
    }


def _items(
    run, result: Reconciliation, gateway: dict[str, GatewayRow], system: dict[str, SystemRow]
) -> Iterator[dict]:
    """Each item's column values by attribute name (plain dicts: COPY needs no model objects)."""
    for outcome in result.outcomes:
        common = _common(run, outcome)
        for key in outcome.gateway_keys:
            row = gateway[key]
            yield dict(
                side=ReconciliationItem.Side.GATEWAY.value,
                key=key,
                kind=row.kind.value,
                row_status=row.status.value,
                gateway_id=row.gateway_id,
                utr=row.utr,
                reference=row.reference or row.notes[:200],
                transaction_date=row.date,
                amount=row.amount,
                fee=row.fee,
                tax=row.tax,
                **common,
            )
        for key in outcome.system_keys:
            ours = system[key]
            yield dict(
                side=ReconciliationItem.Side.SYSTEM.value,
                key=key,
                kind=ours.kind.value,
                row_status=ours.status.value,
                gateway_id=ours.gateway_id,
                utr=ours.utr,
                reference=ours.reference,
                transaction_date=ours.date,
                amount=ours.amount,
                fee=ours.expected_fee,
                tax=None,
                **common,
            )


def _insert(items: Iterator[dict]) -> None:
    batch: list[ReconciliationItem] = []
    for values in items:
        batch.append(ReconciliationItem(**values))
        if len(batch) == BATCH:
            ReconciliationItem.objects.bulk_create(batch)
            batch = []
    ReconciliationItem.objects.bulk_create(batch)


def _copy(items: Iterator[dict]) -> None:
    """PostgreSQL's COPY: a run can hold millions of rows, and COPY stores them several times
    faster than INSERTs (bench/bench_reconciliation.py measures both)."""
    fields = [field for field in ReconciliationItem._meta.concrete_fields if not field.primary_key]
    table = ReconciliationItem._meta.db_table
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
    attributes = [field.attname for field in fields]
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for values in items:
            copy.write_row([values[name] for name in attributes])


def run_results_store(
    *,
    run: ReconciliationRun,
    result: Reconciliation,
    gateway_rows: Iterable[GatewayRow],
    system_rows: Iterable[SystemRow],
) -> None:
    gateway = {row.key: row for row in gateway_rows}
    system = {row.key: row for row in system_rows}
    items = _items(run, result, gateway, system)
    if connection.vendor == "postgresql":
        _copy(items)
    else:
        _insert(items)
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
