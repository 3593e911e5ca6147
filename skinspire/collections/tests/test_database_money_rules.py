"""Patient payments, refunds and payment links keep their status moves, their amounts and
their existence in the database, however they are written (migrations 0011, 0013 and 0017;
PostgreSQL and SQLite): the ORM's own update and delete, bulk inserts and raw SQL that
bypass the services."""

import importlib
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create, patient_refund_processed
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.tests.money_rows import (
    assert_migration_carries_status_tables,
    create_in,
    first_status,
    installed_money_triggers,
    move_to,
)
from skinspire.core.transitions import transition

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("skinspire.collections.migrations.0011_database_money_rules")
LINK_MIGRATION = importlib.import_module("skinspire.collections.migrations.0013_link_amount_paid_never_down")
KEY_MIGRATION = importlib.import_module("skinspire.collections.migrations.0017_idempotency_keys")
MODELS: dict[str, type[models.Model]] = {
    model._meta.db_table: model for model in (PatientPayment, PatientRefund, PaymentLink)
}
LABELS: dict[type[models.Model], str] = {
    PatientPayment: "patient payment",
    PatientRefund: "patient refund",
    PaymentLink: "payment link",
}
# (model, an allowed move from the first status, a refused one from it)
MOVES = [
    (PatientPayment, "captured", "refunded"),
    # Every other state is a move from a refund's or link's first: a word of no state.
    (PatientRefund, "processed", "lost"),
    (PaymentLink, "partially_paid", "lost"),
]


def refused(model: type[models.Model], reason: str):
    """PostgreSQL names the row (#id), SQLite cannot."""
    return pytest.raises(IntegrityError, match=rf"collections: {LABELS[model]} (#\d+ )?refused: {reason}")


def row_of(model: type[models.Model], bill, **fields) -> models.Model:
    """A stored row of `model` in its first status, made without the services."""
    common = {"hospital": bill.hospital, "branch": bill.branch, "amount": Decimal("100.00"), **fields}
    if model is PatientPayment:
        return cast(PatientPayment, PatientPaymentFactory(bill=bill, **fields))
    if model is PatientRefund:
        captured = PatientPaymentFactory(bill=bill, status="captured")
        return create_in(PatientRefund, payment=captured, reason="Asked", **common)
    return create_in(
        PaymentLink, bill=bill, source="razorpay", expires_at=timezone.now() + timedelta(hours=1), **common
    )


def stored(row: models.Model) -> tuple:
    return type(row)._default_manager.filter(pk=row.pk).values_list("status", "amount").get()


def raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_migration_carries_each_models_current_status_table():
    assert_migration_carries_status_tables(MIGRATION, MODELS)
    assert_migration_carries_status_tables(LINK_MIGRATION, {PaymentLink._meta.db_table: PaymentLink})
    assert_migration_carries_status_tables(
        KEY_MIGRATION, {model._meta.db_table: model for model in (PatientPayment, PatientRefund)}
    )


def test_the_link_migration_keeps_0011s_rules_and_adds_only_the_growing_paid_amount():
    (before,) = [rules for rules in MIGRATION.RULES if rules.table == PaymentLink._meta.db_table]
    (after,) = LINK_MIGRATION.RULES

    assert before == LINK_MIGRATION.BEFORE
    assert (after.moves, after.start, after.fixed, after.set_once) == (
        before.moves,
        before.start,
        before.fixed,
        before.set_once,
    )
    assert (before.never_down, after.never_down) == ((), ("amount_paid",))


def test_the_key_migration_keeps_0011s_rules_and_adds_only_the_fixed_key():
    for after in KEY_MIGRATION.RULES:
        (before,) = [rules for rules in MIGRATION.RULES if rules.table == after.table]
        assert before in (KEY_MIGRATION.PAYMENT_BEFORE, KEY_MIGRATION.REFUND_BEFORE)
        assert (after.moves, after.start, after.set_once, after.never_down) == (
            before.moves,
            before.start,
            before.set_once,
            before.never_down,
        )
        assert (before.fixed, after.fixed) == (("amount",), ("amount", "idempotency_key"))


def test_the_triggers_are_installed():
    assert installed_money_triggers("collections") == {
        f"{table}_money_{event}" for table in MODELS for event in ("insert", "update", "delete")
    }


@pytest.mark.parametrize(("model", "allowed", "illegal"), MOVES)
def test_an_allowed_move_passes_and_any_other_is_refused(bill, model, allowed, illegal):
    row = row_of(model, bill)

    with refused(model, "its status cannot make that move"), transaction.atomic():
        model._default_manager.filter(pk=row.pk).update(
            status=illegal if illegal in model.state_machine.ranks else "lost"
        )
    model._default_manager.filter(pk=row.pk).update(status=allowed)

    assert stored(row)[0] == allowed


@pytest.mark.parametrize("model", [PatientPayment, PatientRefund, PaymentLink])
def test_a_move_back_or_out_of_a_final_state_is_refused_in_raw_sql(bill, model):
    row = row_of(model, bill)
    final = sorted(model.state_machine.final)[0]
    move_to(row, final)
    table = model._meta.db_table

    with refused(model, "its status cannot make that move"):
        raw(f"UPDATE {table} SET status = %s WHERE id = %s", [first_status(model), row.pk])

    assert stored(row)[0] == final


# What each table's trigger says of its fixed columns.
FIXED = {
    PatientPayment: "its amount and idempotency key never change",
    PatientRefund: "its amount and idempotency key never change",
    PaymentLink: "its amount never changes",
}


@pytest.mark.parametrize("model", [PatientPayment, PatientRefund, PaymentLink])
def test_the_amount_never_changes(bill, model):
    row = row_of(model, bill)
    table = model._meta.db_table

    with refused(model, FIXED[model]), transaction.atomic():
        model._default_manager.filter(pk=row.pk).update(amount=Decimal("1.00"))
    with refused(model, FIXED[model]):
        raw(f"UPDATE {table} SET amount = amount + 1 WHERE id = %s", [row.pk])

    assert stored(row) == (first_status(model), row.amount)


@pytest.mark.parametrize("model", [PatientPayment, PatientRefund])
def test_the_idempotency_key_is_never_changed_nor_added_later(bill, model):
    keyed = row_of(model, bill, idempotency_key="counter-1")
    keyless = row_of(model, bill)
    table = model._meta.db_table

    with refused(model, FIXED[model]), transaction.atomic():
        model._default_manager.filter(pk=keyed.pk).update(idempotency_key="counter-2")
    with refused(model, FIXED[model]):
        raw(f"UPDATE {table} SET idempotency_key = NULL WHERE id = %s", [keyed.pk])
    with refused(model, FIXED[model]):
        raw(f"UPDATE {table} SET idempotency_key = 'counter-3' WHERE id = %s", [keyless.pk])

    keys = model._default_manager.filter(pk__in=[keyed.pk, keyless.pk]).order_by("pk")
    assert list(keys.values_list("idempotency_key", flat=True)) == ["counter-1", None]


@pytest.mark.parametrize("model", [PatientPayment, PatientRefund, PaymentLink])
def test_a_row_is_never_deleted(bill, model):
    row = row_of(model, bill)

    with refused(model, "a money row is never deleted"), transaction.atomic():
        model._default_manager.filter(pk=row.pk).delete()
    with refused(model, "a money row is never deleted"):
        raw(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])

    assert model._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("model", "allowed", "illegal"), MOVES)
def test_a_row_is_inserted_in_its_first_status_only(bill, model, allowed, illegal):
    row = row_of(model, bill)
    copy = model._default_manager.get(pk=row.pk)
    copy.pk, copy.reference, copy.status = None, f"X{row.pk}", allowed
    if model is PaymentLink:
        copy.token = f"token-{row.pk}"

    with refused(model, f"a row starts as {first_status(model)}"), transaction.atomic():
        model._default_manager.bulk_create([copy])

    assert model._default_manager.count() == 1


def test_a_payments_fee_and_tax_are_written_once(bill):
    payment = row_of(PatientPayment, bill)
    PatientPayment.objects.filter(pk=payment.pk).update(fee=Decimal("2.36"), tax=Decimal("0.36"))

    with refused(PatientPayment, "its fee and tax, once set, never change"), transaction.atomic():
        PatientPayment.objects.filter(pk=payment.pk).update(fee=Decimal("0.00"))


def test_a_payments_refunded_amount_never_goes_down(bill):
    payment = PatientPaymentFactory(bill=bill, status="captured")
    PatientPayment.objects.filter(pk=payment.pk).update(amount_refunded=Decimal("500.00"))

    with refused(PatientPayment, "its amount refunded never goes down"), transaction.atomic():
        PatientPayment.objects.filter(pk=payment.pk).update(amount_refunded=Decimal("0.00"))


def link_paid(link: models.Model) -> Decimal:
    return PaymentLink.objects.values_list("amount_paid", flat=True).get(pk=link.pk)


def test_a_links_paid_amount_only_grows(bill):
    link = row_of(PaymentLink, bill)
    PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("40.00"))
    PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("100.00"), status="partially_paid")

    with refused(PaymentLink, "its amount paid never goes down"), transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("40.00"))
    with refused(PaymentLink, "its amount paid never goes down"):
        raw("UPDATE collections_paymentlink SET amount_paid = amount_paid - 0.01 WHERE id = %s", [link.pk])

    assert (stored(link)[0], link_paid(link)) == ("partially_paid", Decimal("100.00"))


def test_a_links_paid_amount_going_down_and_its_status_back_names_the_amount_first(bill):
    link = row_of(PaymentLink, bill)
    PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("100.00"), status="paid")

    with refused(PaymentLink, "its amount paid never goes down"), transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("60.00"), status="partially_paid")

    assert (stored(link)[0], link_paid(link)) == ("paid", Decimal("100.00"))


def run_migration_operation(operation) -> None:
    """A RunPython function of a migration, on the test's connection (inside its transaction,
    which undoes it): it only reads the connection and executes statements."""
    with connection.cursor() as cursor:
        operation(
            None, SimpleNamespace(connection=connection, execute=lambda sql, params=None: cursor.execute(sql))
        )


def test_the_link_migration_goes_back_to_0011s_rules_and_forward_again(bill):
    link = row_of(PaymentLink, bill)
    PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("100.00"))

    run_migration_operation(LINK_MIGRATION.BACKWARDS)
    PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("60.00"))  # free again, as in 0011
    assert installed_money_triggers("collections") == {
        f"{table}_money_{event}" for table in MODELS for event in ("insert", "update", "delete")
    }
    with refused(PaymentLink, "its amount never changes"), transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(amount=Decimal("1.00"))  # 0011's rules are back
    run_migration_operation(LINK_MIGRATION.FORWARDS)

    with refused(PaymentLink, "its amount paid never goes down"), transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(amount_paid=Decimal("59.99"))
    assert link_paid(link) == Decimal("60.00")


def test_the_services_paths_keep_the_rules(bill, staff_user):
    """A counter payment is inserted pending and captured by a move; a refund is processed by
    one and moves its payment on: none of it is refused."""
    payment = patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")
    refund = patient_refund_create(actor=staff_user, payment=payment, amount="1500.00", reason="Cancelled")
    patient_refund_processed(refund=refund, reason="Paid back at the counter", actor=staff_user)

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("1500.00"))


def test_a_transition_the_table_allows_passes_the_database(bill, staff_user):
    link = row_of(PaymentLink, bill)

    transition(instance=link, to="expired", reason="Ran out", actor=staff_user)

    assert stored(link)[0] == "expired"
