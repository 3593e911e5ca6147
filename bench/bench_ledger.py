"""Ledger throughput: bulk posting (settlements) and single post_entry calls.

On PostgreSQL the bulk path is measured three ways in one run, over the same 20,000 entries:
with the database rules of ledger migration 0005 switched off (what the ORM path cost
before them), with them on, and as raw multi-row INSERTs through the cursor with them on
(the floor any Python path can reach).
"""

from decimal import Decimal

import bench_raw_journal
import cpu_clock
from django.db import connection

from skinspire.core.services import hospital_create
from skinspire.ledger.chart import BANK, RAZORPAY_CLEARING
from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.selectors import trial_balance
from skinspire.ledger.services import EntrySpec, LineSpec, post_entries_bulk, post_entry

BULK_ENTRIES = 20_000
SINGLE_ENTRIES = 1_000
TARGET_PER_SECOND = 5_000  # bulk posting on PostgreSQL, with the database rules on


def settlement_lines(number: int) -> list[LineSpec]:
    amount = Decimal(100 + number % 9_900) + Decimal("0.25")
    return [LineSpec(BANK, debit=amount), LineSpec(RAZORPAY_CLEARING, credit=amount)]


def settlements(prefix: str) -> list[EntrySpec]:
    return [
        EntrySpec(
            source=("bench.settlement", f"{prefix}_{number}"),
            event="settlement.settled",
            lines=settlement_lines(number),
        )
        for number in range(BULK_ENTRIES)
    ]


def timed(function, *args, **kwargs):
    started = cpu_clock.read()
    result = function(*args, **kwargs)
    return result, cpu_clock.read() - started


def report(label: str, reading: cpu_clock.Reading, count: int = BULK_ENTRIES) -> float:
    print(f"{label}: entries {reading.describe(count)}")
    return count / reading.wall


def bench_bulk(hospital, prefix: str, label: str) -> float:
    posted, reading = timed(post_entries_bulk, hospital=hospital, entries=settlements(prefix))
    assert posted == BULK_ENTRIES, posted
    return report(label, reading)


def bench_rerun(hospital, prefix: str) -> None:
    reposted, reading = timed(post_entries_bulk, hospital=hospital, entries=settlements(prefix))
    assert reposted == 0, reposted
    report("bulk re-run (all already posted, skipped)", reading)


def post_singles(hospital) -> None:
    for number in range(SINGLE_ENTRIES):
        post_entry(
            hospital=hospital,
            source=("bench.payment", str(number)),
            event="paid",
            lines=settlement_lines(number),
        )


def bench_single(hospital) -> float:
    _, reading = timed(post_singles, hospital)
    return report("single post_entry, each its own transaction", reading, SINGLE_ENTRIES)


def check_book(hospital) -> None:
    rows = trial_balance(hospital=hospital)
    debit, credit = sum(row.debit for row in rows), sum(row.credit for row in rows)
    assert debit == credit, (debit, credit)
    entries, lines = JournalEntry.objects.count(), JournalLine.objects.count()
    print(f"book: {entries} entries, {lines} lines, debits {debit} = credits {credit}")


def bench_postgresql(hospital) -> float:
    with bench_raw_journal.rules_switched_off():
        before = bench_bulk(hospital, "before", "bulk post_entries_bulk, database rules off (before 0005)")
    rate = bench_bulk(hospital, "orm", "bulk post_entries_bulk, database rules on")
    _, reading = timed(
        bench_raw_journal.insert,
        hospital=hospital,
        entries=settlements("raw"),
        created_by=None,
        batch_size=2_000,
    )
    raw = report("raw multi-row INSERT through the cursor, database rules on", reading)
    print(f"ORM bulk / raw INSERT: {rate / raw:.2f}; rules on / rules off: {rate / before:.2f}")
    return rate


def main() -> None:
    hospital = hospital_create(name="Bench hospital", code="bench")
    if connection.vendor == "postgresql":
        bulk_rate = bench_postgresql(hospital)
    else:
        bulk_rate = bench_bulk(hospital, "orm", "bulk post_entries_bulk")
    bench_rerun(hospital, "orm")
    bench_single(hospital)
    check_book(hospital)
    if connection.vendor == "postgresql":
        verdict = "met" if bulk_rate >= TARGET_PER_SECOND else "NOT met"
        print(f"target {TARGET_PER_SECOND:,} entries/s on PostgreSQL with the database rules on: {verdict}")
