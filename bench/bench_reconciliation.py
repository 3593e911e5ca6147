"""Reconciliation throughput (issue 12): a gateway report file against our rows, from import to
results stored, with two baselines measured in the same run on the same data:

- import: `report_stage` (the file parsed by COPY into a temporary staging table of text
  columns, no value checked yet) vs a raw PostgreSQL COPY of the same CSV file into a table of
  text columns (logged, and temporary, as the staging table is); the engine's rows are then
  read back from the staging table a column at a time and every value checked by the column
  reader (`staged_rows`: amounts, dates, types, required cells, trimming), timed on their own
  and counted in the end-to-end time, not in the import's; the Python column reader
  (`plain.py`, the file parsed by Python's csv, same checks, rows included) is timed on the
  same file for comparison with the two;
- matching: the engine alone (`reconcile` called again after the run, on the same rows with
  the same rules, nothing else running) vs a plain SQL full join of the two tables on the
  exact key (the gateway id);
- end to end: import + rows read back + `reconciliation_run_start` (our rows loaded through the source
  registry, matching, items stored by COPY, discrepancies kept in step), with each step of
  the run timed alone (StepTimer wraps the runs module's functions during the real run).
  In the run the items are stored while the engine works (services/results.py): the run's
  "matching" step is the engine with the store's thread formatting and PostgreSQL storing
  beside it (its CPU figures include both), and "items stored after the engine" is the wait
  for what was left to store once the engine was done.

Rows: BENCH_RECON_ROWS payments (default 1,000,000; about as many gateway lines and rows of
ours, labelled with realistic noise by skinspire/reconciliation/tests/labelled.py). Each
figure is given as wall time and as CPU seconds (ours + PostgreSQL's), since the machine is
shared. Targets: matching at least half the SQL join's rate, import at least 0.8x COPY,
everything under 30 s.
"""

import csv
import io
import os
from collections import Counter
from datetime import date
from typing import Any

import cpu_clock
from django.db import connection, transaction

from skinspire.core.services import hospital_create
from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow, exact
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.inputs.reports.formats import RAZORPAY_RECON
from skinspire.reconciliation.inputs.reports.plain import plain_report_rows
from skinspire.reconciliation.inputs.reports.staging import report_stage, staged_rows
from skinspire.reconciliation.services import runs
from skinspire.reconciliation.system_sources import register_system_source, unregister_system_source
from skinspire.reconciliation.tests.labelled import AS_OF, labelled_data

ROWS = int(os.environ.get("BENCH_RECON_ROWS", "1000000"))
HEADER = [
    "entity_id",
    "type",
    "amount",
    "fee",
    "tax",
    "created_at",
    "settlement_id",
    "settlement_utr",
    "order_receipt",
]
TYPES = {
    Kind.COLLECTION: "payment",
    Kind.REFUND: "refund",
    Kind.PAYOUT: "payout",
    Kind.ADJUSTMENT: "adjustment",
}
SYSTEM_TABLE, RAW_TABLE = "bench_recon_system", "bench_recon_gateway_raw"


def report_file(data) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for row in data.gateway:
        writer.writerow([
            row.gateway_id, TYPES[row.kind], row.amount, row.fee, row.tax, f"{row.date} 12:00:00",
            row.settlement_id, row.utr, row.reference,
        ])  # fmt: skip
    return text.getvalue().encode()


def create_tables(data) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {SYSTEM_TABLE} (key text PRIMARY KEY, gateway_id text, utr text, amount numeric(14,2),"
            " expected_fee numeric(14,2), status text, day date, kind text, reference text)"
        )
        cursor.execute(f"CREATE TABLE {RAW_TABLE} ({', '.join(f'{name} text' for name in HEADER)})")
        with cursor.copy(f"COPY {SYSTEM_TABLE} FROM STDIN") as copy:
            for row in data.system:
                copy.write_row([row.key, row.gateway_id, row.utr, row.amount, row.expected_fee, row.status.value,
                                row.date, row.kind.value, row.reference])  # fmt: skip
        cursor.execute(f"ANALYZE {SYSTEM_TABLE}")


def bench_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    """The bench's system source: our rows from their table, as a real source reads its own.
    All of them: the labelled data spans three weeks, wider than a run's window, and the
    engine must see what the labels were made for."""
    statuses, kinds = {item.value: item for item in RowStatus}, {item.value: item for item in Kind}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {SYSTEM_TABLE}")
        return [
            SystemRow(key, gateway_id, utr, amount, fee, statuses[status], day, kinds[kind], reference)
            for key, gateway_id, utr, amount, fee, status, day, kind, reference in cursor
        ]


def timed(function, *args, **kwargs):
    started = cpu_clock.read()
    result = function(*args, **kwargs)
    return result, cpu_clock.read() - started


def raw_copy(content: bytes, table: str = RAW_TABLE) -> None:
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
    ):
        copy.write(content)


def raw_copy_temporary(content: bytes) -> None:
    """The same into a temporary table of text columns (not WAL-logged, like the staging table)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE raw_temporary ({', '.join(f'{name} text' for name in HEADER)})"
            )
        raw_copy(content, "raw_temporary")
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE raw_temporary")


def stage_and_read(content: bytes):
    """The import (COPY into the staging table) and the rows read back with every value checked, timed apart."""
    with transaction.atomic():
        staged, imported = timed(report_stage, content=content, report_format=RAZORPAY_RECON)
        if staged is None:
            raise RuntimeError("the bench's report was refused by the COPY")
        rows, read_back = timed(staged_rows, staged, on=AS_OF)
        if rows is None:
            raise RuntimeError("the bench's report was refused by the column checks on the way back")
    return rows, imported, read_back


def column_reader(content: bytes) -> None:
    """The Python column reader on the same file, as report_rows uses it where COPY is refused."""
    with cyclic_gc_paused():
        if plain_report_rows(content=content, report_format=RAZORPAY_RECON, on=AS_OF) is None:
            raise RuntimeError("the bench's report was refused by the column reader")


def checkpoints() -> int:
    """Checkpoints PostgreSQL has made (on time or asked for by WAL volume): a million-row
    run writes more WAL than the default max_wal_size, and what follows a checkpoint costs
    more (full-page images), so runs of the same work differ by how many fell inside."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")
        return cursor.fetchone()[0]


def max_wal_size() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_wal_size")
        return cursor.fetchone()[0]


def sql_join() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {RAW_TABLE} g FULL JOIN {SYSTEM_TABLE} s ON g.entity_id = s.gateway_id"
        )
        return cursor.fetchone()[0]


class StepTimer:
    """Wraps one step of the real run (a function of the runs module) to time it alone."""

    def __init__(self, name: str):
        self.name, self.step = name, getattr(runs, name)
        self.reading: Any = None
        self.result: Any = None
        self.kwargs: dict = {}

    def __call__(self, *args, **kwargs):
        self.kwargs = kwargs
        self.result, self.reading = timed(self.step, *args, **kwargs)
        return self.result

    def __enter__(self):
        setattr(runs, self.name, self)
        return self

    def __exit__(self, *exc_info):
        setattr(runs, self.name, self.step)


STEPS = {  # the run's steps, in order, as the runs module names them
    "_system_rows": "load ours (source + paired elsewhere)",
    "reconcile": "matching (engine), items stored beside it",
    "run_counts": "run's counts worked out (while the last items are stored)",
    "discrepancies_found": "discrepancies found (fingerprints; while the last items are stored)",
    "items_finish": "items stored after the engine (COPY's rest)",
    "run_counts_store": "run's counts saved",
    "discrepancies_sync": "discrepancies kept in step",
    "settlements_post": "ledger postings",
}


def rate(count: int, reading) -> float:
    return count / reading.wall


def cpu_rate(count: int, reading) -> float | None:
    return count / (reading.client_cpu + reading.server_cpu) if reading.server_cpu is not None else None


def ratio(ours: float | None, baseline: float | None) -> str:
    return f"{ours / baseline:.2f}x" if ours and baseline else "n/a"


def main() -> None:
    if connection.vendor != "postgresql":
        print("reconciliation bench: needs PostgreSQL (DATABASE_URL); skipped")
        return
    data = labelled_data(payments=ROWS)
    gateway_count, system_count = len(data.gateway), len(data.system)
    both = gateway_count + system_count
    content = report_file(data)
    create_tables(data)
    hospital = hospital_create(name="Bench hospital (reconciliation)", code="bench-recon")
    configuration = GatewayConfiguration.objects.create(
        hospital=hospital,
        name="Bench Razorpay",
        provider="razorpay",
        mode="test",
        base_url="http://sandbox.invalid",
    )
    register_system_source("bench", bench_rows)
    timers = {name: StepTimer(name) for name in STEPS}
    try:
        for timer in timers.values():
            timer.__enter__()
        rows, imported, read_back = stage_and_read(content)
        _, copied = timed(raw_copy, content)
        _, copied_temporary = timed(raw_copy_temporary, content)
        _, read_in_python = timed(column_reader, content)
        _, joined = timed(sql_join)
        checkpoints_before = checkpoints()
        run, reconciled = timed(
            runs.reconciliation_run_start,
            configuration=configuration,
            run_date=AS_OF,
            trigger="manual",
            gateway_rows=rows,
        )
        checkpoints_during = checkpoints() - checkpoints_before
        alone = {name: value for name, value in timers["reconcile"].kwargs.items() if name != "on_final"}
        _, engine_alone = timed(timers["reconcile"].step, **alone)  # the engine itself, not the timer
        # Its first step alone, the like of the SQL baseline: pairs on the exact key, each with
        # its verdict (the other passes, a row in seven here, have no counterpart in the join).
        exact_rows = (list(alone["gateway_rows"]), list(alone["system_rows"]), alone["rules"])
        with cyclic_gc_paused():
            _, exact_step = timed(exact.unique_id_outcomes, *exact_rows)
    finally:
        for timer in timers.values():
            timer.__exit__()
        unregister_system_source("bench")
    timer = timers["reconcile"]
    found = timer.result.category_of()
    wrong = sum(1 for row, label in data.labels.items() if found.get(row) != label)
    total_wall = imported.wall + read_back.wall + reconciled.wall
    print(
        f"reconciliation: {gateway_count:,} gateway lines x {system_count:,} rows of ours (run #{run.pk}, {run.status})"
    )
    print(
        f"  import (COPY into the staging table; values checked on read-back): {imported.describe(gateway_count)}"
    )
    print(f"  raw COPY of the file (text columns): {copied.describe(gateway_count)}")
    print(f"  raw COPY into a temporary table (text columns): {copied_temporary.describe(gateway_count)}")
    print(f"  import vs COPY: {ratio(rate(gateway_count, imported), rate(gateway_count, copied))} wall, "
          f"{ratio(cpu_rate(gateway_count, imported), cpu_rate(gateway_count, copied))} CPU (target 0.8x); "
          f"vs the temporary table: {ratio(rate(gateway_count, imported), rate(gateway_count, copied_temporary))}"
          f" wall, {ratio(cpu_rate(gateway_count, imported), cpu_rate(gateway_count, copied_temporary))} CPU")  # fmt: skip
    print(
        f"  rows read back from staging, every value checked (in end to end, not in import): "
        f"{read_back.describe(gateway_count)}"
    )
    print(f"  import + read-back: {(imported + read_back).describe(gateway_count)}")
    print(f"  import + read-back vs COPY (the file to checked rows): "
          f"{ratio(rate(gateway_count, imported + read_back), rate(gateway_count, copied))} wall, "
          f"{ratio(cpu_rate(gateway_count, imported + read_back), cpu_rate(gateway_count, copied))} CPU")  # fmt: skip
    print(f"  for comparison, the Python column reader (rows included; not in end to end): "
          f"{read_in_python.describe(gateway_count)}")  # fmt: skip
    print(f"  matching (engine alone, same rows and rules, after the run): {engine_alone.describe(both)}")
    print(f"  SQL full join on the gateway id: {joined.describe(both)}")
    print(f"  matching vs SQL join: {ratio(rate(both, engine_alone), rate(both, joined))} wall, "
          f"{ratio(cpu_rate(both, engine_alone), cpu_rate(both, joined))} CPU (target 0.5x)")  # fmt: skip
    print(f"  the engine's exact-key step alone (unique gateway ids paired, with verdicts): {exact_step.describe(both)}"
          f"; vs SQL join {ratio(rate(both, exact_step), rate(both, joined))} wall, "
          f"{ratio(cpu_rate(both, exact_step), cpu_rate(both, joined))} CPU")  # fmt: skip
    print(
        f"  run (load ours, match, store {run.items.count():,} items, discrepancies): {reconciled.describe(both)}"
    )
    for name, label in STEPS.items():
        print(f"    {label}: {timers[name].reading.describe(both)}")
    outside = reconciled
    for timer_of_step in timers.values():
        outside = outside - timer_of_step.reading
    print(f"    outside the steps (the commit, run bookkeeping): {outside.describe(both)}")
    print(f"  PostgreSQL checkpoints during the run: {checkpoints_during} (max_wal_size {max_wal_size()}; the "
          "full-page images after each make PostgreSQL's share of the same run vary)")  # fmt: skip
    print(f"  end to end: {total_wall:.1f}s wall = {both / total_wall:,.0f} rows/s (target under 30 s)")
    print(
        f"  categories: {dict(Counter(found.values()))}; against the labels {1 - wrong / len(data.labels):.4%} right"
    )
    print(f"  match rate {run.match_rate:.2%}, gross {run.gross}, fees {run.fees}, net {run.net}")
