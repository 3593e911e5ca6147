"""Ledger throughput: bulk posting (settlements) and single post_entry calls."""

import time
from decimal import Decimal

from django.db import connection

from skinspire.core.services import hospital_create
from skinspire.ledger.chart import BANK, RAZORPAY_CLEARING
from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.selectors import trial_balance
from skinspire.ledger.services import EntrySpec, LineSpec, post_entries_bulk, post_entry

BULK_ENTRIES = 20_000
SINGLE_ENTRIES = 1_000
TARGET_PER_SECOND = 5_000  # bulk posting on PostgreSQL (issue item 4)


def settlement_lines(number: int) -> list[LineSpec]:
    amount = Decimal(100 + number % 9_900) + Decimal("0.25")
    return [LineSpec(BANK, debit=amount), LineSpec(RAZORPAY_CLEARING, credit=amount)]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def bench_bulk(hospital) -> float:
    entries = [
        EntrySpec(
            source=("bench.settlement", f"setl_{number}"),
            event="settlement.settled",
            lines=settlement_lines(number),
        )
        for number in range(BULK_ENTRIES)
    ]
    posted, seconds = timed(post_entries_bulk, hospital=hospital, entries=entries)
    assert posted == BULK_ENTRIES, posted
    rate = BULK_ENTRIES / seconds
    print(
        f"bulk post_entries_bulk: {BULK_ENTRIES} two-line entries in {seconds:.2f}s = {rate:,.0f} entries/s"
    )
    reposted, seconds = timed(post_entries_bulk, hospital=hospital, entries=entries)
    assert reposted == 0, reposted
    print(
        f"bulk re-run (all already posted, skipped): {seconds:.2f}s = {BULK_ENTRIES / seconds:,.0f} entries/s checked"
    )
    return rate


def bench_single(hospital) -> float:
    started = time.perf_counter()
    for number in range(SINGLE_ENTRIES):
        post_entry(
            hospital=hospital,
            source=("bench.payment", str(number)),
            event="paid",
            lines=settlement_lines(number),
        )
    seconds = time.perf_counter() - started
    rate = SINGLE_ENTRIES / seconds
    print(f"single post_entry: {SINGLE_ENTRIES} entries in {seconds:.2f}s = {rate:,.0f} entries/s")
    return rate


def check_book(hospital) -> None:
    rows = trial_balance(hospital=hospital)
    debit, credit = sum(row.debit for row in rows), sum(row.credit for row in rows)
    assert debit == credit, (debit, credit)
    entries, lines = JournalEntry.objects.count(), JournalLine.objects.count()
    print(f"book: {entries} entries, {lines} lines, debits {debit} = credits {credit}")


def main() -> None:
    hospital = hospital_create(name="Bench hospital", code="bench")
    bulk_rate = bench_bulk(hospital)
    bench_single(hospital)
    check_book(hospital)
    if connection.vendor == "postgresql":
        verdict = "met" if bulk_rate >= TARGET_PER_SECOND else "NOT met"
        print(f"target {TARGET_PER_SECOND:,} entries/s on PostgreSQL: {verdict}")
