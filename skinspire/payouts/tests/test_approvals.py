"""Maker-checker approvals: threshold, approver is not the maker, reasons, audit."""

from decimal import Decimal

import pytest

from skinspire.core.audit import AuditEntry
from skinspire.core.errors import ApplicationError, IllegalTransitionError, PermissionDeniedError
from skinspire.payouts.models import PayoutPolicy, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import (
    supplier_payment_approve,
    supplier_payment_cancel,
    supplier_payment_reject,
    supplier_payment_submit,
)
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierInvoiceFactory
from skinspire.payouts.tests.support import history, ledger_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(hospital):
    return PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("25000.00"))


@pytest.fixture
def invoice(supplier):
    return SupplierInvoiceFactory(supplier=supplier, number="INV-9", amount=Decimal("30000.00"))


def manual(supplier, maker, amount, invoice=None):
    invoices = [AllocationRequest(invoice.pk, Decimal(amount))] if invoice else []
    request = PaymentRequest(
        supplier=supplier,
        amount=amount,
        method="manual",
        mode="cheque",
        manual_reference="CHQ 42",
        invoices=invoices,
    )
    return supplier_payment_create(request=request, maker=maker)[0]


def test_below_the_threshold_the_makers_submit_approves_and_a_manual_payment_completes(
    policy, chart, supplier, maker, invoice
):
    payment = manual(supplier, maker, "24999.99", invoice)

    supplier_payment_submit(payment=payment, actor=maker)

    payment.refresh_from_db()
    assert payment.status == "completed"
    assert history(payment) == [("draft", "approved", "applied"), ("approved", "completed", "applied")]
    assert ledger_lines(payment) == [
        ("payout.completed", "2000", "24999.99", "0.00"),
        ("payout.completed", "1000", "0.00", "24999.99"),
    ]
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("24999.99"), "partly_paid")


def test_at_the_threshold_it_waits_for_another_approver(policy, chart, supplier, maker, approver, invoice):
    payment = manual(supplier, maker, "25000.00", invoice)
    supplier_payment_submit(payment=payment, actor=maker)
    assert SupplierPayment.objects.get(pk=payment.pk).status == "pending_approval"
    assert ledger_lines(payment) == []

    supplier_payment_approve(payment=payment, approver=approver)

    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == ("completed", approver)
    assert [
        entry.action
        for entry in AuditEntry.objects.filter(action__startswith="payouts.payment").order_by("sequence")
    ] == [
        "payouts.payment.create",
        "payouts.payment.submit",
        "payouts.payment.approve",
    ]


def test_the_maker_cannot_approve_even_as_an_approver(policy, chart, supplier, approver):
    payment = manual(supplier, approver, "30000.00")
    supplier_payment_submit(payment=payment, actor=approver)

    with pytest.raises(PermissionDeniedError, match="The maker of a payment cannot approve"):
        supplier_payment_approve(payment=payment, approver=approver)

    assert SupplierPayment.objects.get(pk=payment.pk).status == "pending_approval"
    assert not AuditEntry.objects.filter(action="payouts.payment.approve").exists()


def test_payments_staff_cannot_approve(policy, chart, supplier, maker, hospital):
    from skinspire.core.tests.factories import UserFactory

    payment = manual(supplier, maker, "30000.00")
    supplier_payment_submit(payment=payment, actor=maker)

    with pytest.raises(PermissionDeniedError, match="Only a Payment approver"):
        supplier_payment_approve(
            payment=payment, approver=UserFactory(hospital=hospital, roles=["Payments staff"])
        )


def test_rejection_needs_a_reason_and_frees_the_invoice(policy, chart, supplier, maker, approver, invoice):
    payment = manual(supplier, maker, "30000.00", invoice)
    supplier_payment_submit(payment=payment, actor=maker)

    with pytest.raises(ApplicationError, match="Say why the payment is rejected."):
        supplier_payment_reject(payment=payment, approver=approver, reason=" ")
    supplier_payment_reject(payment=payment, approver=approver, reason="Duplicate of cheque 41")

    payment.refresh_from_db()
    assert (payment.status, payment.rejection_reason) == ("rejected", "Duplicate of cheque 41")
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")
    entry = AuditEntry.objects.get(action="payouts.payment.reject")
    assert (entry.actor, entry.message) == (approver, "Duplicate of cheque 41")
    with pytest.raises(IllegalTransitionError):
        supplier_payment_approve(payment=payment, approver=approver)


def test_cancel_before_the_gateway_frees_the_invoice(policy, chart, supplier, maker, invoice):
    payment = manual(supplier, maker, "30000.00", invoice)
    supplier_payment_submit(payment=payment, actor=maker)

    supplier_payment_cancel(payment=payment, actor=maker, reason="Paid by the head office")

    assert SupplierPayment.objects.get(pk=payment.pk).status == "cancelled"
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")


def test_without_a_policy_the_setting_applies(chart, supplier, maker, settings):
    settings.PAYOUT_APPROVAL_THRESHOLD = "100.00"

    payment = manual(supplier, maker, "100.00")
    supplier_payment_submit(payment=payment, actor=maker)

    assert SupplierPayment.objects.get(pk=payment.pk).status == "pending_approval"
