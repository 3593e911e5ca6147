"""A discrepancy's last run and run date only move forward in run date: a run of an older date
(an accountant's re-run, a late settlement file) that finds it again leaves it with the newer
run; one that does not find it closes it only when it pairs one of its rows. New ones are
stored by COPY on PostgreSQL and by bulk_create on SQLite: both run these tests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from skinspire.reconciliation.engine import GatewayRow, Kind, MatchingRules, RowStatus, reconcile
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import (
    discrepancies_found,
    discrepancies_sync,
    discrepancy_resolve,
)
from skinspire.reconciliation.services.runs import reconciliation_run_start
from skinspire.reconciliation.tests.rows import gateway_row, system_row

pytestmark = pytest.mark.django_db

NEWER = date(2026, 11, 3)
OLDER = date(2026, 11, 1)
PAID_ON = date(2026, 10, 29)  # within both runs' windows (5 days back) and past the settlement cycle


def run(configuration, on: date, gateway_rows: list[GatewayRow] | None = None) -> ReconciliationRun:
    return reconciliation_run_start(
        configuration=configuration, run_date=on, trigger="manual", gateway_rows=gateway_rows or []
    )


def settled(payment) -> GatewayRow:
    """The gateway's line for one of our payments, in a late settlement file."""
    return GatewayRow(
        key=f"setl_late/{payment.gateway_id}", gateway_id=payment.gateway_id, utr="UTR1", amount=payment.amount,
        fee=Decimal("0.00"), tax=Decimal("0.00"), status=RowStatus.SUCCESS, date=payment.paid_on,
        kind=Kind.COLLECTION, settlement_id="setl_late",
    )  # fmt: skip


@pytest.fixture
def lost(our_payment):
    """Ours, never settled: missing at the gateway in the runs of both dates."""
    return our_payment(gateway_id="pay_L", amount=Decimal("10.00"), expected_fee=None, paid_on=PAID_ON)


def found(payment) -> Discrepancy:
    return Discrepancy.objects.get(system_keys=[f"trial:{payment.pk}"])


def cancelled(payment) -> None:
    """Ours marked failed: absent from the settlement it is nothing due, so no run finds it now
    and none pairs it."""
    payment.result = "failed"
    payment.save(update_fields=["result"])


def test_an_older_run_that_finds_it_again_leaves_it_with_the_newer_run(
    configuration, lost, our_payment, staff_user
):
    written_off = our_payment(gateway_id="pay_W", amount=Decimal("20.00"), expected_fee=None, paid_on=PAID_ON)
    first = run(configuration, OLDER)
    newer = run(configuration, NEWER)
    discrepancy_resolve(
        discrepancy=found(written_off), actor=staff_user, resolution="written_off", note="No credit"
    )

    older = run(configuration, OLDER)

    assert older.category_counts["missing_at_gateway"] == 2
    item = found(lost)
    assert (item.status, item.run_date, item.last_run, item.first_run) == ("open", NEWER, newer, first)
    kept = found(written_off)
    assert (kept.status, kept.resolution, kept.resolution_note, kept.run_date, kept.last_run) == (
        "resolved", "written_off", "No credit", NEWER, newer,
    )  # fmt: skip
    # The admin's and the dashboard's date filter read run_date.
    assert set(Discrepancy.objects.filter(run_date=NEWER)) == {item, kept}
    assert not Discrepancy.objects.filter(run_date=OLDER).exists()


def test_an_older_run_that_no_longer_finds_it_leaves_it_open(configuration, lost):
    run(configuration, OLDER)
    newer = run(configuration, NEWER)
    run(configuration, OLDER)  # finds it again
    cancelled(lost)

    older = run(configuration, OLDER)

    assert older.category_counts["missing_at_gateway"] == 0
    item = found(lost)
    assert (item.status, item.resolution, item.run_date, item.last_run) == ("open", "", NEWER, newer)


def test_a_newer_dates_rerun_afterwards_closes_what_it_no_longer_finds(configuration, lost):
    run(configuration, OLDER)
    run(configuration, NEWER)
    run(configuration, OLDER)  # finds it again
    cancelled(lost)

    rerun = run(configuration, NEWER)

    item = found(lost)
    assert (item.status, item.resolution, item.resolution_note) == (
        "superseded", "explained", f"not found again by reconciliation run #{rerun.pk} of {NEWER}",
    )  # fmt: skip


def test_a_late_settlement_file_for_an_older_date_that_pairs_its_row_closes_it(configuration, lost):
    run(configuration, OLDER)
    newer = run(configuration, NEWER)

    late = run(configuration, OLDER, gateway_rows=[settled(lost)])

    assert late.items.get(key=f"trial:{lost.pk}").category == "matched"
    item = found(lost)
    assert (item.status, item.resolution, item.resolution_note, item.run_date, item.last_run) == (
        "superseded", "explained", f"not found again by reconciliation run #{late.pk} of {OLDER}", NEWER, newer,
    )  # fmt: skip


def _synced(configuration, on: date, *, ours: str) -> ReconciliationRun:
    """A run of `on` that pairs the gateway's ₹1,000 line with our row of `ours` rupees."""
    this = ReconciliationRun.objects.create(
        hospital=configuration.hospital, configuration=configuration, run_date=on, trigger="manual"
    )
    result = reconcile(
        gateway_rows=[gateway_row("g1", date=on, settled_on=on)],
        system_rows=[system_row("s1", gateway_id="pay_g1", amount=Decimal(ours), date=on)],
        as_of=on,
        rules=MatchingRules(),
    )
    discrepancies_sync(run=this, result=result, found=discrepancies_found(result))
    return this


def test_an_older_run_pairing_the_rows_of_a_mismatch_it_finds_again_neither_moves_nor_closes_it(
    configuration,
):
    """A mismatch's rows are paired (with a difference) by every run that finds it, so the
    older run must know it found it, not only that it paired its rows."""
    newer = _synced(configuration, NEWER, ours="990.00")

    _synced(configuration, OLDER, ours="980.00")

    item = Discrepancy.objects.get()
    assert (item.category, item.status, item.run_date, item.last_run, item.amount_difference) == (
        "amount_mismatch", "open", NEWER, newer, Decimal("10.00"),
    )  # fmt: skip

    rerun = _synced(configuration, NEWER, ours="995.00")  # a re-run of the same date replaces

    item.refresh_from_db()
    assert (item.status, item.run_date, item.last_run, item.amount_difference) == (
        "open", NEWER, rerun, Decimal("5.00"),
    )  # fmt: skip


def _queries_naming(fingerprint: str, sync) -> int:
    """How many statements `sync()` sends with `fingerprint` in their text or parameters (the
    COPY of new ones is not a statement; none are new here)."""
    naming = []

    def record(execute, sql, params, many, context):
        naming.append(fingerprint in f"{sql} {params}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        sync()
    return sum(naming)


def test_only_an_older_run_sends_the_fingerprints_it_found_a_second_time(configuration):
    """The nightly run (the newest date) looks its fingerprints up once; an older date's run
    sends again those it leaves to a newer run, for the closing to skip them."""
    _synced(configuration, NEWER, ours="990.00")
    wanted = Discrepancy.objects.get().fingerprint

    next_day = _queries_naming(
        wanted, lambda: _synced(configuration, NEWER + timedelta(days=1), ours="990.00")
    )
    older = _queries_naming(wanted, lambda: _synced(configuration, OLDER, ours="990.00"))

    assert (next_day, older) == (1, 2)
    assert Discrepancy.objects.get().run_date == NEWER + timedelta(days=1)
