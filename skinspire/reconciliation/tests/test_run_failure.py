"""A run that breaks while storing its results does not stay "running": what it stored is
rolled back, and it is marked failed with the error, in a transaction of its own."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError

from skinspire.core.models import StatusTransition
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.models import Discrepancy, ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services import runs

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)
LINE = GatewayRow(key="setl_A/pay_9", gateway_id="pay_9", utr="", amount=Decimal("100.00"), fee=Decimal("2.36"),
                  tax=Decimal("0.36"), status=RowStatus.SUCCESS, date=DAY, kind=Kind.COLLECTION,
                  settlement_id="setl_A", settled_on=DAY)  # fmt: skip


def test_a_failure_mid_store_marks_the_run_failed_and_keeps_nothing(configuration, staff_user, monkeypatch):
    def broken_sync(*, run, result, found=None):
        assert ReconciliationItem.objects.filter(run=run).count() == 1  # the items were written
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(runs, "discrepancies_sync", broken_sync)

    run = runs.reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="upload", actor=staff_user, gateway_rows=[LINE]
    )

    stored = ReconciliationRun.objects.get(pk=run.pk)
    assert (stored.status, stored.error_message) == (
        "failed",
        "The run failed while storing its results: DatabaseError('deadlock detected')",
    )
    assert stored.finished_at is not None
    assert (stored.matched_count, stored.gateway_row_count) == (0, 0)  # the counts were rolled back too
    assert not ReconciliationItem.objects.exists()
    assert not Discrepancy.objects.exists()
    moves = StatusTransition.objects.filter(
        object_id=str(run.pk), content_type__model="reconciliationrun"
    ).values_list("from_state", "to_state")
    assert list(moves) == [("running", "failed")]
