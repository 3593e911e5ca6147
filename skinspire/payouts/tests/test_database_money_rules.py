"""Supplier payments and payout batches keep their status moves, a payment its amount and
fee preview, and both their existence, in the database however they are written (migration
0012; PostgreSQL and SQLite): the ORM's own update and delete, bulk inserts and raw SQL."""

import importlib
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction

from skinspire.core.tests.money_rows import (
    assert_migration_carries_status_tables,
    installed_money_triggers,
    move_to,
)
from skinspire.core.transitions import transition
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import bank_account

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("skinspire.payouts.migrations.0012_database_money_rules")
MODELS: dict[str, type[models.Model]] = {
    model._meta.db_table: model for model in (SupplierPayment, PayoutBatch)
}
LABELS: dict[type[models.Model], str] = {SupplierPayment: "supplier payment", PayoutBatch: "payout batch"}


def refused(model: type[models.Model], reason: str):
    """PostgreSQL names the row (#id), SQLite cannot."""
    return pytest.raises(IntegrityError, match=rf"payouts: {LABELS[model]} (#\d+ )?refused: {reason}")


@pytest.fixture
def payment(configuration, supplier, branch, maker):
    """A payment recorded through the service (a draft), as every real one is."""
    payment, _ = supplier_payment_create(
        request=PaymentRequest(
            supplier=supplier, account=bank_account(supplier), branch=branch, amount="4000.00",
            method="gateway_payout", mode="imps",
        ),
        maker=maker,
    )  # fmt: skip
    return payment


@pytest.fixture
def batch(hospital, maker):
    return PayoutBatch.objects.create(hospital=hospital, name="November", created_by=maker)


@pytest.fixture
def rows(payment, batch):
    return {SupplierPayment: payment, PayoutBatch: batch}


def status_of(row: models.Model) -> str:
    return type(row)._default_manager.filter(pk=row.pk).values_list("status", flat=True).get()


def raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_migration_carries_each_models_current_status_table():
    assert_migration_carries_status_tables(MIGRATION, MODELS)


def test_the_triggers_are_installed():
    assert installed_money_triggers("payouts") == {
        f"{table}_money_{event}" for table in MODELS for event in ("insert", "update", "delete")
    }


# (model, statuses to reach first, a move the table allows from there, one it does not)
MOVES = [
    (SupplierPayment, ["approved"], "completed", "draft"),  # a manual payment, completed by hand
    (SupplierPayment, ["approved", "completed"], "reversed", "failed"),
    (SupplierPayment, ["approved", "submitted", "failed"], None, "completed"),
    (SupplierPayment, [], "pending_approval", "completed"),  # no skipping the approval
    (PayoutBatch, [], "approved", "lost"),
    (PayoutBatch, ["rejected"], None, "approved"),
]


@pytest.mark.parametrize(("model", "path", "allowed", "illegal"), MOVES)
def test_an_allowed_move_passes_and_any_other_is_refused(rows, model, path, allowed, illegal):
    row = move_to(rows[model], path[-1]) if path else rows[model]
    before = status_of(row)

    with refused(model, "its status cannot make that move"), transaction.atomic():
        model._default_manager.filter(pk=row.pk).update(status=illegal)
    with refused(model, "its status cannot make that move"):
        raw(f"UPDATE {model._meta.db_table} SET status = %s WHERE id = %s", [illegal, row.pk])
    assert status_of(row) == before

    if allowed:
        model._default_manager.filter(pk=row.pk).update(status=allowed)
        assert status_of(row) == allowed


def test_the_same_status_and_other_columns_change_freely(payment):
    SupplierPayment.objects.filter(pk=payment.pk).update(status="draft", description="Re-worded")
    SupplierPayment.objects.filter(pk=payment.pk).update(fee=Decimal("5.90"), tax=Decimal("0.90"))
    SupplierPayment.objects.filter(pk=payment.pk).update(fee=Decimal("2.36"), tax=Decimal("0.36"))

    assert SupplierPayment.objects.values_list("fee", flat=True).get(pk=payment.pk) == Decimal("2.36")


@pytest.mark.parametrize(("column", "value"), [("amount", Decimal("1.00")), ("fee_preview", Decimal("0.00"))])
def test_a_payments_amount_and_fee_preview_never_change(payment, column, value):
    before = SupplierPayment.objects.values_list("amount", "fee_preview").get(pk=payment.pk)

    with refused(SupplierPayment, "its amount and fee preview never change"), transaction.atomic():
        SupplierPayment.objects.filter(pk=payment.pk).update(**{column: value})
    with refused(SupplierPayment, "its amount and fee preview never change"):
        raw(f"UPDATE payouts_supplierpayment SET {column} = %s WHERE id = %s", [value, payment.pk])

    assert SupplierPayment.objects.values_list("amount", "fee_preview").get(pk=payment.pk) == before


@pytest.mark.parametrize("model", [SupplierPayment, PayoutBatch])
def test_a_row_is_never_deleted(rows, model):
    row = rows[model]

    with refused(model, "a money row is never deleted"), transaction.atomic():
        model._default_manager.filter(pk=row.pk).delete()
    with refused(model, "a money row is never deleted"):
        raw(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])

    assert model._default_manager.filter(pk=row.pk).exists()


def test_a_payment_is_inserted_as_a_draft_only(payment):
    copy = SupplierPayment.objects.get(pk=payment.pk)
    copy.pk, copy.reference, copy.idempotency_key = None, "SP-COPY", uuid.uuid4().hex
    copy.gateway_idempotency_key, copy.status = uuid.uuid4(), "completed"

    with refused(SupplierPayment, "a row starts as draft"), transaction.atomic():
        SupplierPayment.objects.bulk_create([copy])

    assert SupplierPayment.objects.count() == 1


def test_a_batch_is_inserted_pending_approval_only(hospital, maker):
    with refused(PayoutBatch, "a row starts as pending_approval"), transaction.atomic():
        PayoutBatch.objects.create(
            hospital=hospital, name="Approved already", created_by=maker, status="approved"
        )

    assert PayoutBatch.objects.count() == 0


def test_a_transition_the_table_allows_passes_the_database(payment, maker):
    transition(instance=payment, to="cancelled", reason="Not needed", actor=maker)

    assert status_of(payment) == "cancelled"
