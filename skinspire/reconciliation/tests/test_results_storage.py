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
