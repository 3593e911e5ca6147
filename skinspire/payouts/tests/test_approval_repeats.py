"""An approve, reject or cancel that finds the payment (or batch) already moved is a 409 and
changes nothing: the invoice's paid and reserved amounts, the approver, the audit log.

A second click, or a second approver a moment later, used to pass: the repeated move was
recorded as ignored and the rest ran again, so a manual payment's invoice counted its
₹30,000 as paid twice, and a second reject freed another payment's reservation."""

from decimal import Decimal

import pytest

from skinspire.core.audit import AuditEntry
from skinspire.core.errors import ConflictError
from skinspire.core.tests.factories import UserFactory
from skinspire.payouts.models import PayoutBatch, PayoutPolicy, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.approvals import (
    supplier_payment_approve,
    supplier_payment_cancel,
    supplier_payment_reject,
)
from skinspire.payouts.services.batches import payout_batch_approve
from skinspire.payouts.tests.factories import SupplierInvoiceFactory
from skinspire.payouts.tests.support import cheque_waiting, ledger_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(hospital, supplier):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("1000.00"))
    return SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("100000.00"))


@pytest.fixture
def second_approver(hospital, branch):
    return UserFactory(hospital=hospital, roles=["Payment approver"], branches=[branch])


def amounts(invoice) -> tuple[Decimal, Decimal, str]:
    invoice = SupplierInvoice.objects.get(pk=invoice.pk)
    return invoice.amount_allocated, invoice.amount_paid, invoice.status


def test_a_second_approval_is_a_409_and_the_invoice_counts_the_cheque_once(
    chart, supplier, maker, approver, second_approver, invoice
):
    cheque = cheque_waiting(supplier, maker, invoice, "30000.00")
    cheque_waiting(supplier, maker, invoice, "40000.00")  # another payment's reservation on the invoice
    supplier_payment_approve(payment=SupplierPayment.objects.get(pk=cheque.pk), approver=approver)

    with pytest.raises(
        ConflictError, match=rf"^Payment {cheque.reference} is already completed; nothing was"
    ):
        supplier_payment_approve(payment=SupplierPayment.objects.get(pk=cheque.pk), approver=second_approver)

    assert amounts(invoice) == (Decimal("70000.00"), Decimal("30000.00"), "partly_paid")
    assert SupplierPayment.objects.get(pk=cheque.pk).approved_by == approver
    assert AuditEntry.objects.filter(action="payouts.payment.approve").count() == 1
    assert [line[1:] for line in ledger_lines(cheque)] == [
        ("2000", "30000.00", "0.00"),
        ("1000", "0.00", "30000.00"),
    ]


def test_approving_with_a_copy_read_before_it_was_approved_is_a_409(
    chart, supplier, maker, approver, second_approver, invoice
):
    cheque = cheque_waiting(supplier, maker, invoice, "30000.00")
    seen_by_the_second = SupplierPayment.objects.get(pk=cheque.pk)  # still pending approval
    supplier_payment_approve(payment=cheque, approver=approver)

    with pytest.raises(ConflictError, match="is already completed"):
        supplier_payment_approve(payment=seen_by_the_second, approver=second_approver)

    assert amounts(invoice) == (Decimal("30000.00"), Decimal("30000.00"), "partly_paid")


def test_a_second_rejection_is_a_409_and_frees_the_reservation_once(
    chart, supplier, maker, approver, invoice
):
    rejected = cheque_waiting(supplier, maker, invoice, "20000.00")
    cheque_waiting(supplier, maker, invoice, "40000.00")
    supplier_payment_reject(payment=rejected, approver=approver, reason="Duplicate")

    with pytest.raises(ConflictError, match="is already rejected"):
        supplier_payment_reject(
            payment=SupplierPayment.objects.get(pk=rejected.pk), approver=approver, reason="Again"
        )

    assert amounts(invoice) == (Decimal("40000.00"), Decimal("0.00"), "open")
    assert SupplierPayment.objects.get(pk=rejected.pk).rejection_reason == "Duplicate"


def test_cancelling_with_a_copy_read_before_it_was_cancelled_frees_the_reservation_once(
    chart, supplier, maker, invoice
):
    cancelled = cheque_waiting(supplier, maker, invoice, "20000.00")
    seen_in_another_tab = SupplierPayment.objects.get(pk=cancelled.pk)
    cheque_waiting(supplier, maker, invoice, "40000.00")
    supplier_payment_cancel(payment=cancelled, actor=maker, reason="Paid by the head office")

    with pytest.raises(ConflictError, match="is already cancelled"):
        supplier_payment_cancel(payment=seen_in_another_tab, actor=maker, reason="Paid by the head office")

    assert amounts(invoice) == (Decimal("40000.00"), Decimal("0.00"), "open")
    assert AuditEntry.objects.filter(action="payouts.payment.cancel").count() == 1


def test_a_batch_approved_once_is_not_approved_again(hospital, maker, approver, second_approver):
    batch = PayoutBatch.objects.create(hospital=hospital, name="March", created_by=maker)
    payout_batch_approve(batch=batch, approver=approver)

    with pytest.raises(ConflictError, match="^Batch March is already approved; nothing was changed"):
        payout_batch_approve(batch=PayoutBatch.objects.get(pk=batch.pk), approver=second_approver)

    batch.refresh_from_db()
    assert (batch.status, batch.approved_by) == ("approved", approver)
    assert AuditEntry.objects.filter(action="payouts.batch.approve").count() == 1
