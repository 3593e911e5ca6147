"""Payout rows that mix hospitals, refused by the database however they are written
(migration 0011; PostgreSQL and SQLite): inserts and updates that bypass the services."""

import importlib
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.database_rules import check_existing_rows
from skinspire.core.tests.factories import BranchFactory, HospitalFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.models import (
    PaymentAllocation,
    PayoutBatch,
    Supplier,
    SupplierAccount,
    SupplierAccountGatewayLink,
    SupplierInvoice,
    SupplierPayment,
)
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, bank_account

pytestmark = pytest.mark.django_db


def refused(label: str, reason: str):
    """PostgreSQL names the row (#id), SQLite cannot before the insert."""
    return pytest.raises(IntegrityError, match=rf"payouts: {label} (#\d+ )?refused: {reason}")


@pytest.fixture
def other_hospital(db):
    return HospitalFactory()


@pytest.fixture
def elsewhere(other_hospital, maker):
    """One of each hospital-owned row a payout names, all of another hospital."""
    supplier = SupplierFactory(hospital=other_hospital)
    return {
        "branch": BranchFactory(hospital=other_hospital),
        "supplier": supplier,
        "account": bank_account(supplier),
        "configuration": GatewayConfigurationFactory(hospital=other_hospital),
        "batch": PayoutBatch.objects.create(hospital=other_hospital, name="Theirs", created_by=maker),
        "invoice": SupplierInvoiceFactory(supplier=supplier),
    }


@pytest.fixture
def invoice(supplier):
    return SupplierInvoiceFactory(supplier=supplier, amount=Decimal("10000.00"))


@pytest.fixture
def payment(configuration, supplier, branch, maker, invoice):
    """A payment recorded through the service, as every real one is."""
    payment, _ = supplier_payment_create(
        request=PaymentRequest(
            supplier=supplier,
            account=bank_account(supplier),
            branch=branch,
            amount="4000.00",
            method="gateway_payout",
            mode="imps",
            invoices=[AllocationRequest(invoice.pk, Decimal("4000.00"))],
        ),
        maker=maker,
    )
    return payment


def copy_of(payment: SupplierPayment, **changes) -> SupplierPayment:
    """An unsaved payment like `payment`, to insert without the service."""
    row = SupplierPayment.objects.get(pk=payment.pk)
    row.pk, row.reference, row.idempotency_key = None, f"SP{uuid.uuid4().hex[:18]}", uuid.uuid4().hex
    row.gateway_idempotency_key = uuid.uuid4()
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def as_stored(payment: SupplierPayment) -> tuple:
    return tuple(
        SupplierPayment.objects.filter(pk=payment.pk)
        .values_list("hospital", "branch", "supplier", "account", "configuration", "batch", "retry_of")
        .get()
    )


# (field, the other hospital's row, the reason)
FOREIGN_PAYMENT_FIELDS = [
    ("branch", "branch", "its branch belongs to another hospital"),
    ("account", "account", "its account belongs to another hospital"),
    ("configuration", "configuration", "its gateway configuration belongs to another hospital"),
    ("batch", "batch", "its batch belongs to another hospital"),
]


@pytest.mark.parametrize(("field", "row", "reason"), FOREIGN_PAYMENT_FIELDS)
def test_a_payment_naming_another_hospitals_row_is_refused_at_insert(payment, elsewhere, field, row, reason):
    with refused("supplier payment", reason), transaction.atomic():
        SupplierPayment.objects.bulk_create([copy_of(payment, **{field: elsewhere[row]})])

    assert SupplierPayment.objects.count() == 1


@pytest.mark.parametrize(("field", "row", "reason"), FOREIGN_PAYMENT_FIELDS)
def test_a_payment_pointed_at_another_hospitals_row_is_refused_at_update(
    payment, elsewhere, field, row, reason
):
    before = as_stored(payment)

    with refused("supplier payment", reason), transaction.atomic():
        SupplierPayment.objects.filter(pk=payment.pk).update(**{field: elsewhere[row]})

    assert as_stored(payment) == before


def test_a_payment_of_another_hospitals_supplier_is_refused_at_insert(payment, elsewhere):
    row = copy_of(payment, branch=None, supplier=elsewhere["supplier"], account=elsewhere["account"])

    with refused("supplier payment", "its supplier belongs to another hospital"), transaction.atomic():
        SupplierPayment.objects.bulk_create([row])


def test_a_payment_to_another_suppliers_account_is_refused(payment, hospital):
    someone_else = bank_account(SupplierFactory(hospital=hospital), account_number="50100099999999")

    with refused("supplier payment", "its account belongs to another supplier"), transaction.atomic():
        SupplierPayment.objects.bulk_create([copy_of(payment, account=someone_else)])
    with refused("supplier payment", "its account belongs to another supplier"), transaction.atomic():
        SupplierPayment.objects.filter(pk=payment.pk).update(account=someone_else)


def test_a_retry_of_another_suppliers_payment_is_refused(payment, hospital):
    someone_else = SupplierFactory(hospital=hospital)
    theirs = copy_of(payment, supplier=someone_else, account=bank_account(someone_else))
    theirs.save()

    with refused("supplier payment", "its retried payment belongs to another supplier"), transaction.atomic():
        SupplierPayment.objects.bulk_create([copy_of(payment, retry_of=theirs)])


@pytest.mark.parametrize("field", ["hospital", "supplier"])
def test_a_payments_hospital_and_supplier_never_change(payment, elsewhere, other_hospital, field):
    before = as_stored(payment)
    new_value = {"hospital": other_hospital, "supplier": elsewhere["supplier"]}[field]

    with refused("supplier payment", "its id, hospital and supplier never change"), transaction.atomic():
        # Moved whole, with every row it names: the move itself is refused.
        SupplierPayment.objects.filter(pk=payment.pk).update(
            **{field: new_value}, branch=None, account=None, method="manual", configuration=None
        )

    assert as_stored(payment) == before


def test_an_allocation_to_another_suppliers_invoice_is_refused(payment, hospital):
    theirs = SupplierInvoiceFactory(supplier=SupplierFactory(hospital=hospital))

    with refused("payment allocation", "its invoice belongs to another supplier"), transaction.atomic():
        PaymentAllocation.objects.create(payment=payment, invoice=theirs, amount=Decimal("1.00"))


def test_an_allocation_to_another_hospitals_invoice_is_refused(payment, elsewhere):
    with refused("payment allocation", "its invoice belongs to another hospital"), transaction.atomic():
        PaymentAllocation.objects.bulk_create(
            [PaymentAllocation(payment=payment, invoice=elsewhere["invoice"], amount=Decimal("1.00"))]
        )


def test_an_allocations_payment_and_invoice_never_change(payment, supplier):
    allocation = payment.allocations.get()
    same_supplier = SupplierInvoiceFactory(supplier=supplier)

    with refused("payment allocation", "its id, payment and invoice never change"), transaction.atomic():
        PaymentAllocation.objects.filter(pk=allocation.pk).update(invoice=same_supplier)

    assert PaymentAllocation.objects.get().invoice_id == allocation.invoice_id


def test_an_account_or_invoice_of_another_hospitals_supplier_is_refused(supplier, elsewhere):
    account = SupplierAccount.objects.get(pk=elsewhere["account"].pk)
    account.pk, account.hospital = None, supplier.hospital
    invoice = SupplierInvoice(
        hospital=supplier.hospital,
        supplier=elsewhere["supplier"],
        number="X-1",
        invoice_date="2026-11-01",
        amount=1,
    )

    with refused("supplier account", "its supplier belongs to another hospital"), transaction.atomic():
        account.save()
    with refused("supplier invoice", "its supplier belongs to another hospital"), transaction.atomic():
        invoice.save()


def test_an_account_validated_through_another_hospitals_configuration_is_refused(supplier, elsewhere):
    account = bank_account(supplier)

    with (
        refused("supplier account", "its validation configuration belongs to another hospital"),
        transaction.atomic(),
    ):
        SupplierAccount.objects.filter(pk=account.pk).update(
            validation_configuration=elsewhere["configuration"]
        )


def test_a_gateway_link_to_another_hospitals_configuration_is_refused(supplier, elsewhere):
    link = SupplierAccountGatewayLink(
        account=bank_account(supplier),
        configuration=elsewhere["configuration"],
        contact_id="c",
        fund_account_id="f",
    )

    with (
        refused("account gateway link", "its gateway configuration belongs to another hospital"),
        transaction.atomic(),
    ):
        link.save()

    assert SupplierAccountGatewayLink.objects.count() == 0


@pytest.mark.parametrize(
    ("model", "label", "words"),
    [
        (Supplier, "supplier", "id and hospital"),
        (SupplierAccount, "supplier account", "id, hospital and supplier"),
        (SupplierInvoice, "supplier invoice", "id, hospital and supplier"),
        (PayoutBatch, "payout batch", "id and hospital"),
    ],
)
def test_the_hospital_of_suppliers_and_their_rows_never_changes(
    payment, hospital, other_hospital, maker, model, label, words
):
    PayoutBatch.objects.create(hospital=hospital, name="Ours", created_by=maker)
    ours = list(model.objects.filter(hospital=hospital).values_list("pk", flat=True))

    with refused(label, f"its {words} never change"), transaction.atomic():
        model.objects.filter(hospital=hospital).update(hospital=other_hospital)

    assert ours and list(model.objects.filter(hospital=hospital).values_list("pk", flat=True)) == ours


def test_the_service_paths_still_write_and_change_payments(payment, hospital, invoice, maker):
    """A payment recorded, saved whole, switched to another configuration of its hospital and
    put in a batch of its hospital: all kept."""
    second = GatewayConfigurationFactory(hospital=hospital)
    batch = PayoutBatch.objects.create(hospital=hospital, name="Ours", created_by=maker)

    payment.description = "Saved whole"
    payment.save()
    SupplierPayment.objects.filter(pk=payment.pk).update(configuration=second, batch=batch)

    payment.refresh_from_db()
    assert (payment.configuration_id, payment.batch_id, payment.description) == (
        second.pk,
        batch.pk,
        "Saved whole",
    )
    assert [(line.invoice_id, line.amount) for line in payment.allocations.all()] == [
        (invoice.pk, Decimal("4000.00"))
    ]


def test_the_migration_refuses_to_start_over_rows_that_already_break_the_rules(payment, elsewhere):
    """As ledger/0005 checks the book: the rules are not installed over a broken row."""
    with connection.cursor() as cursor:  # undone with the test's transaction
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE while FK checks wait
            cursor.execute(
                "ALTER TABLE payouts_supplierpayment DISABLE TRIGGER payouts_supplierpayment_tenancy_update"
            )
        else:
            cursor.execute("DROP TRIGGER payouts_supplierpayment_tenancy_update")
    SupplierPayment.objects.filter(pk=payment.pk).update(configuration=elsewhere["configuration"])
    migration = importlib.import_module("skinspire.payouts.migrations.0011_database_tenancy")

    with pytest.raises(
        RuntimeError,
        match=rf"^payouts: supplier payment #{payment.pk}: its gateway configuration belongs to another "
        "hospital; correct it before applying payouts migration 0011.$",
    ):
        check_existing_rows(migration.RULES, connection, migration="payouts migration 0011")
