"""Items are stored by COPY on PostgreSQL and by batched INSERTs elsewhere (the embedded
SQLite of `make run`): both store the same rows."""

import pytest

from skinspire.reconciliation.services import results
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

COMPARED = [
    "side", "key", "group", "category", "match_pass", "rule", "score", "kind", "row_status", "gateway_id", "utr",
    "reference", "transaction_date", "amount", "fee", "tax", "amount_difference", "fee_difference",
]  # fmt: skip


def test_copy_and_insert_store_the_same_rows(configuration):
    run = finished_run(configuration)
    copied = list(run.items.order_by("side", "key").values_list(*COMPARED))
    rebuilt = [{**dict(zip(COMPARED, row, strict=True)), "run_id": run.pk} for row in copied]
    run.items.all().delete()

    results._insert(iter(rebuilt))

    assert list(run.items.order_by("side", "key").values_list(*COMPARED)) == copied
    assert len(copied) == 3


def test_item_ids_are_taken_a_thousand_at_a_time(postgres_only, configuration):
    """Migration 0011: a session's items take their ids from a cache of 1,000, not one sequence
    fetch each (the ids stay unique; the primary key still holds them so)."""
    from django.db import connection

    run = finished_run(configuration)
    ids = list(run.items.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cache_size, last_value FROM pg_sequences WHERE sequencename = %s",
            ["reconciliation_reconciliationitem_id_seq"],
        )
        cache_size, last_value = cursor.fetchone()

    assert cache_size == 1000
    # The block this session took runs past the ids it used so far, to a multiple of 1,000.
    assert max(ids) <= last_value and last_value % 1000 == 0
    assert len(set(ids)) == len(ids) == 3


def test_a_run_stores_its_items_when_queries_are_logged(postgres_only, configuration):
    """`make run` has DEBUG on, so Django hands out its query-logging cursor, whose `copy()`
    takes the statement alone: the items' COPY (which passes its own writer) failed every run
    with "CursorDebugWrapper.copy() got an unexpected keyword argument 'writer'"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection):
        run = finished_run(configuration)

    assert run.status == "completed", run.error_message
    assert run.items.count() == 3
