"""Items name a run that exists, checked by triggers instead of a per-row foreign key
(migration 0007): a stray item is refused, and so is deleting a run behind the ORM's back,
while the ORM's cascade still deletes a run with its items."""

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db


def _copy_of(item: ReconciliationItem, **changes) -> ReconciliationItem:
    item.pk = None
    for name, value in changes.items():
        setattr(item, name, value)
    return item


def test_an_item_of_no_run_is_refused_with_nothing_stored(configuration):
    run = finished_run(configuration)
    stray = _copy_of(run.items.first(), run_id=run.pk + 1000, key="stray")

    with pytest.raises(IntegrityError, match="names a run that does not exist"), transaction.atomic():
        ReconciliationItem.objects.bulk_create([stray])

    assert not ReconciliationItem.objects.filter(key="stray").exists()


def test_an_item_of_an_existing_run_is_stored(configuration):
    run = finished_run(configuration)

    ReconciliationItem.objects.bulk_create([_copy_of(run.items.first(), key="another")])

    assert run.items.filter(key="another").count() == 1


def test_a_run_with_items_cannot_be_deleted_behind_the_orms_back(configuration):
    run = finished_run(configuration)
    run.discrepancies.all().delete()  # they refuse it too (test_discrepancy_reference_checks.py)
    items = run.items.count()
    if connection.vendor != "postgresql":  # SQLite leaves deleting to the ORM (migration 0007)
        assert items == 3
        return

    with (
        pytest.raises(IntegrityError, match="still has items"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM reconciliation_reconciliationrun WHERE id = %s", [run.pk])

    assert (ReconciliationRun.objects.filter(pk=run.pk).exists(), run.items.count()) == (True, items)


def test_the_orm_deletes_a_run_with_its_items(configuration):
    run = finished_run(configuration)
    run.discrepancies.all().delete()  # they protect the run they name
    pk = run.pk
    run.delete()

    assert (
        ReconciliationRun.objects.filter(pk=pk).exists(),
        ReconciliationItem.objects.filter(run_id=pk).count(),
    ) == (
        False,
        0,
    )


def test_one_item_of_no_run_among_items_of_a_run_refuses_them_all(configuration):
    """Checked over the run ids a statement names (migration 0008): one missing is enough."""
    run = finished_run(configuration)
    batch = [_copy_of(run.items.first(), key=f"batch-{number}") for number in range(3)]
    batch[1].run_id = run.pk + 1000

    with pytest.raises(IntegrityError, match="names a run that does not exist"), transaction.atomic():
        ReconciliationItem.objects.bulk_create(batch)

    assert not ReconciliationItem.objects.filter(key__startswith="batch-").exists()


def test_moving_an_item_to_no_run_is_refused(configuration):
    run = finished_run(configuration)
    item = run.items.first()

    with pytest.raises(IntegrityError, match="names a run that does not exist"), transaction.atomic():
        ReconciliationItem.objects.filter(pk=item.pk).update(run_id=run.pk + 1000)

    assert ReconciliationItem.objects.get(pk=item.pk).run_id == run.pk
