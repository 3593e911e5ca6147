"""Idempotency under real concurrency: separate threads, separate PostgreSQL connections."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.services import post_entry
from skinspire.ledger.tests.factories import pay_supplier

WAIT_SECONDS = 10
SOURCE = ("payouts.supplierpayment", "77")


def in_own_connection(function):
    """Run on a worker thread with its own connection, closed afterwards."""

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_threads_posting_one_event_create_one_entry(postgres_only, chart, hospital):
    start = threading.Barrier(8, timeout=WAIT_SECONDS)

    @in_own_connection
    def post():
        start.wait()
        return post_entry(
            hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("500.00")
        ).pk

    with ThreadPoolExecutor(max_workers=8) as pool:
        entry_ids = [future.result(timeout=WAIT_SECONDS) for future in [pool.submit(post) for _ in range(8)]]

    assert len(set(entry_ids)) == 1
    assert JournalEntry.objects.count() == 1
    assert JournalLine.objects.count() == 2


def wait_for_a_blocked_insert():
    """Until another backend is waiting on a lock while inserting a journal entry."""
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'INSERT INTO \"ledger_journalentry\"%'"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("the second poster never blocked on the first one's insert")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loser_of_an_insert_race_returns_the_winners_entry(postgres_only, chart, hospital):
    """B checks before A commits (sees nothing), so B's insert hits the unique index and waits;
    when A commits, B gets the IntegrityError and must hand back A's entry."""
    winner_inserted, loser_blocked = threading.Event(), threading.Event()

    @in_own_connection
    def winner():
        with transaction.atomic():
            entry = post_entry(
                hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("9.99")
            )
            winner_inserted.set()
            assert loser_blocked.wait(WAIT_SECONDS)
        return entry.pk

    @in_own_connection
    def loser():
        assert winner_inserted.wait(WAIT_SECONDS)
        return post_entry(
            hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("9.99")
        ).pk

    with ThreadPoolExecutor(max_workers=2) as pool:
        winner_future, loser_future = pool.submit(winner), pool.submit(loser)
        assert winner_inserted.wait(WAIT_SECONDS)
        wait_for_a_blocked_insert()
        loser_blocked.set()
        winner_id, loser_id = winner_future.result(WAIT_SECONDS), loser_future.result(WAIT_SECONDS)

    assert loser_id == winner_id
    assert JournalEntry.objects.count() == 1
    assert JournalLine.objects.count() == 2
