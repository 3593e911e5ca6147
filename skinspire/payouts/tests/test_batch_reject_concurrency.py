"""A batch rejected while one of its rows is being cancelled on its own, on PostgreSQL with
real threads: the row's invoice reservation is freed once.

The rejection reads the batch's draft rows, then moves each to cancelled under its row lock.
A row cancelled meanwhile is then already cancelled: the move is ignored, and its
reservation, which the cancel freed, must not be freed again (that freed another payment's
share of the invoice, so the invoice could be paid twice)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from skinspire.core.tests.test_transition_concurrency import backends_waiting_on_a_lock
from skinspire.payouts.models import PayoutBatch, PayoutPolicy, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_cancel, supplier_payment_submit
from skinspire.payouts.services.batches import payout_batch_create, payout_batch_reject
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_row_cancelled_while_its_batch_is_rejected_frees_its_share_once(
    postgres_only, hospital, configuration, chart, supplier, maker, approver
):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("1000.00"))
    invoice = SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("10000.00"))
    account = bank_account(supplier)
    other = PaymentRequest(
        supplier=supplier, amount="5000.00", method="manual", mode="cheque", manual_reference="CHQ 9",
        invoices=[AllocationRequest(invoice.pk, Decimal("5000.00"))],
    )  # fmt: skip
    # Another payment's share of the invoice, waiting for an approver: what a second release would free.
    supplier_payment_submit(payment=supplier_payment_create(request=other, maker=maker)[0], actor=maker)
    row = {"supplier": supplier.name, "account": str(account.pk), "amount": "3000.00", "mode": "neft",
           "invoices": "INV-1", "reference": "R-1"}  # fmt: skip
    batch = payout_batch_create(
        hospital=hospital, maker=maker, name="March", file_name="march.csv", rows=[row]
    )
    cancelled, commit, rejected = threading.Event(), threading.Event(), []

    def cancel_the_row() -> None:
        try:
            with transaction.atomic():
                supplier_payment_cancel(
                    payment=SupplierPayment.objects.get(batch=batch), actor=maker, reason="Paid by cheque"
                )
                cancelled.set()
                commit.wait(10)
        finally:
            connection.close()

    def reject_the_batch() -> None:
        try:
            rejected.append(payout_batch_reject(batch=batch, approver=approver, reason="Wrong month"))
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel_the_row)
    canceller.start()
    assert cancelled.wait(10)
    rejecter = threading.Thread(target=reject_the_batch)
    rejecter.start()
    backends_waiting_on_a_lock(seconds=10)  # it read the row as a draft
    commit.set()
    canceller.join(30)
    rejecter.join(30)

    assert [item.status for item in rejected] == ["rejected"]
    assert SupplierPayment.objects.get(batch=batch).status == "cancelled"
    invoice = SupplierInvoice.objects.get(pk=invoice.pk)
    assert (invoice.amount_allocated, invoice.amount_paid) == (Decimal("5000.00"), Decimal("0.00"))
    assert PayoutBatch.objects.get(pk=batch.pk).status == "rejected"
