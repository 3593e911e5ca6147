"""Approvers approving one payment at the same moment, on PostgreSQL with real threads:
one approval applies, the others are 409s, and the invoice counts the payment once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from skinspire.core.audit import AuditEntry
from skinspire.core.errors import ConflictError
from skinspire.core.roles import ROLE_PAYMENT_APPROVER
from skinspire.core.tests.factories import UserFactory
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import PayoutPolicy, SupplierPayment
from skinspire.payouts.services.approvals import supplier_payment_approve
from skinspire.payouts.tests.factories import SupplierInvoiceFactory
from skinspire.payouts.tests.support import cheque_waiting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPROVERS = 6


def test_six_approvers_at_once_complete_the_cheque_once(
    postgres_only, hospital, branch, chart, supplier, maker
):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("1000.00"))
    invoice = SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("300000.00"))
    cheque = cheque_waiting(supplier, maker, invoice, "30000.00")
    cheque_waiting(supplier, maker, invoice, "200000.00")  # room for a double count to hide in
    approvers = [
        UserFactory(hospital=hospital, roles=[ROLE_PAYMENT_APPROVER], branches=[branch])
        for _ in range(APPROVERS)
    ]
    start, results = threading.Barrier(APPROVERS), [None] * APPROVERS

    def approve(index: int) -> None:
        try:
            payment = SupplierPayment.objects.get(pk=cheque.pk)  # each reads it pending approval
            start.wait(10)
            results[index] = supplier_payment_approve(payment=payment, approver=approvers[index])
        except ConflictError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(index,)) for index in range(APPROVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    approved = [result for result in results if isinstance(result, SupplierPayment)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert (len(approved), len(refused)) == (1, APPROVERS - 1)
    assert all(error.message.startswith(f"Payment {cheque.reference} is already") for error in refused)
    invoice.refresh_from_db()
    assert (invoice.amount_allocated, invoice.amount_paid) == (Decimal("230000.00"), Decimal("30000.00"))
    assert JournalEntry.objects.filter(source_id=str(cheque.pk), event="payout.completed").count() == 1
    assert AuditEntry.objects.filter(action="payouts.payment.approve").count() == 1
