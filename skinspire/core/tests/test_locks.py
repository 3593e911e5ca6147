"""Row-lock helpers: only inside a transaction, one lock order, and a lock really excludes."""

import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from skinspire.core import locks
from skinspire.core.tests.state_machine_app.models import TrialPayout


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_with_a_clear_error():
    payout = TrialPayout.objects.create(reference="PO-1")
    message = "Row locks only hold inside a transaction: call this within `with transaction.atomic():`."
    for attempt in (
        lambda: locks.lock_row(TrialPayout, pk=payout.pk),
        lambda: locks.lock_instance(payout),
        lambda: locks.lock_rows(TrialPayout.objects.all()),
    ):
        with pytest.raises(locks.LockOutsideTransactionError) as raised:
            attempt()
        assert str(raised.value) == message


@pytest.mark.django_db
def test_rows_are_locked_and_returned_in_primary_key_order():
    created = [TrialPayout.objects.create(reference=f"PO-{number}") for number in range(3)]
    with transaction.atomic():
        locked = locks.lock_rows(TrialPayout.objects.order_by("-reference"))
    assert [payout.pk for payout in locked] == sorted(payout.pk for payout in created)


@pytest.mark.django_db
def test_lock_instance_reads_the_row_afresh():
    payout = TrialPayout.objects.create(reference="PO-1")
    TrialPayout.objects.filter(pk=payout.pk).update(status="processing")
    with transaction.atomic():
        assert locks.lock_instance(payout).status == "processing"
    assert payout.status == "queued"


@pytest.mark.django_db
def test_the_lock_is_for_no_key_update_on_postgresql(postgres_only):
    payout = TrialPayout.objects.create(reference="PO-1")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        locks.lock_row(TrialPayout, pk=payout.pk)
    [lock] = [query["sql"] for query in queries.captured_queries if "trialpayout" in query["sql"]]
    assert lock.endswith("FOR NO KEY UPDATE")


@pytest.mark.django_db(transaction=True)
def test_a_locked_row_cannot_be_locked_by_another_transaction_until_commit(postgres_only):
    payout = TrialPayout.objects.create(reference="PO-1")
    outcomes = []

    def try_lock():
        try:
            with transaction.atomic():
                TrialPayout.objects.select_for_update(nowait=True).get(pk=payout.pk)
            outcomes.append("locked")
        except OperationalError:
            outcomes.append("refused")
        finally:
            connection.close()

    def in_other_thread():
        thread = threading.Thread(target=try_lock)
        thread.start()
        thread.join(timeout=30)

    with transaction.atomic():
        locks.lock_row(TrialPayout, pk=payout.pk)
        in_other_thread()
    in_other_thread()
    assert outcomes == ["refused", "locked"]
