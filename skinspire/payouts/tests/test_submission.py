"""Submission through the sandbox RazorpayX: record first, idempotent resends, unknown
outcomes resolved by the status sync, completion with the ledger posted once."""

from decimal import Decimal

import pytest

from skinspire.core.audit import AuditEntry
from skinspire.core.tests.money_rows import move_to
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import (
    _request,
    supplier_payment_dispatch,
    supplier_payment_status_sync,
)
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account, upi_account
from skinspire.payouts.tests.support import history, ledger_lines
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(supplier):
    return SupplierInvoiceFactory(supplier=supplier, number="INV-77", amount=Decimal("20000.00"))


def payout(supplier, maker, account, amount="12500.50", mode="imps", invoice=None):
    invoices = [AllocationRequest(invoice.pk, Decimal(amount))] if invoice else []
    request = PaymentRequest(
        supplier=supplier,
        account=account,
        amount=amount,
        method="gateway_payout",
        mode=mode,
        invoices=invoices,
    )
    return supplier_payment_create(request=request, maker=maker)[0]


def sandbox_payouts():
    return list(SandboxObject.objects.filter(entity="payout").values_list("object_id", flat=True))


def test_a_payout_goes_to_the_gateway_after_commit_and_completes(
    configuration, chart, supplier, maker, invoice, run_tasks
):
    payment = payout(supplier, maker, bank_account(supplier), invoice=invoice)

    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))

    payment.refresh_from_db()
    assert (payment.status, payment.configuration, payment.fee) == (
        "processing",
        configuration,
        Decimal("5.90"),
    )
    assert payment.gateway_payout_id == sandbox_payouts()[0] and payment.submitted_at is not None
    assert ledger_lines(payment) == []  # nothing is posted before the money has moved

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert payment.status == "completed" and len(payment.utr) >= 12
    assert history(payment) == [
        ("draft", "approved", "applied"),
        ("approved", "submitted", "applied"),
        ("submitted", "processing", "applied"),
        ("processing", "completed", "applied"),
    ]
    assert sorted(ledger_lines(payment)) == [
        ("payout.completed", "1100", "0.00", "12500.50"),
        ("payout.completed", "1100", "0.00", "5.90"),
        ("payout.completed", "1300", "0.90", "0.00"),
        ("payout.completed", "2000", "12500.50", "0.00"),
        ("payout.completed", "5000", "5.00", "0.00"),
    ]
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("12500.50"), "partly_paid")
    # Asked again: nothing moves, nothing is posted twice.
    supplier_payment_status_sync(payment_id=payment.pk)
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_concurrent_dispatches_send_once(configuration, chart, supplier, maker, run_tasks):
    payment = payout(supplier, maker, upi_account(supplier), amount="900.00", mode="upi")
    supplier_payment_submit(payment=payment, actor=maker)  # approved; its task is not run

    results = [supplier_payment_dispatch(payment_id=payment.pk).status for _ in range(5)]

    assert results == ["processing"] * 5
    assert len(sandbox_payouts()) == 1


def test_a_beneficiary_bank_rejection_fails_it_and_posts_nothing(
    configuration, chart, supplier, maker, invoice, run_tasks
):
    payment = payout(
        supplier, maker, bank_account(supplier, account_number="50100012340000"), invoice=invoice
    )
    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "beneficiary_bank_rejected")
    assert payment.failure_reason == "Payout failed as the beneficiary bank rejected the transaction."
    assert ledger_lines(payment) == []
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")


def test_no_gateway_left_to_pay_fails_it_with_a_message_that_says_what_to_do(
    configuration, chart, supplier, maker, invoice, run_tasks
):
    payment = payout(supplier, maker, bank_account(supplier), invoice=invoice)
    configuration.capabilities = ["collections"]  # switched off after the payment was recorded
    configuration.save()

    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))

    payment.refresh_from_db()
    assert payment.status == "failed"
    assert payment.failure_reason == (
        f"No active gateway that can do payouts is configured for {payment.hospital}. "
        "A gateway admin can add or enable one in admin under Gateway configurations."
    )
    assert sandbox_payouts() == [] and ledger_lines(payment) == []
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")


def test_a_timeout_after_the_gateway_made_the_payout_is_unknown_then_converges(
    configuration, chart, supplier, maker, run_tasks
):
    payment = payout(supplier, maker, bank_account(supplier))
    SupplierPayment.objects.filter(pk=payment.pk).update(reference="TIMEOUTSP0001")  # the sandbox answers 504
    payment.refresh_from_db()

    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))

    payment.refresh_from_db()
    # unknown, never failed; the status sync (run after commit) asked by our reference and
    # found the payout, which the sandbox had processed meanwhile.
    assert [row[1:] for row in history(payment)] == [
        ("approved", "applied"),
        ("submitted", "applied"),
        ("unknown", "applied"),
        ("completed", "applied"),
    ]
    assert payment.gateway_payout_id == sandbox_payouts()[0] and len(sandbox_payouts()) == 1
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_a_crash_after_the_gateway_answered_is_healed_by_the_same_key(configuration, chart, supplier, maker):
    payment = payout(supplier, maker, bank_account(supplier))
    supplier_payment_submit(payment=payment, actor=maker)
    SupplierPayment.objects.filter(pk=payment.pk).update(status="submitted", configuration=configuration)
    payment.refresh_from_db()
    # The process sent the request and died before saving the answer.
    first = provider_for(configuration).create_payout(_request(payment))

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert payment.gateway_payout_id == first.gateway_payout_id
    assert sandbox_payouts() == [first.gateway_payout_id]


def test_a_reversal_after_completion_mirrors_the_entry_and_reopens_the_invoice(
    configuration, chart, supplier, maker, invoice, run_tasks
):
    payment = payout(
        supplier, maker, bank_account(supplier, account_number="50100012349999"), invoice=invoice
    )
    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))
    from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance

    payout_advance(payout_id=sandbox_payouts()[0])  # processed -> reversed at the bank

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert payment.status == "reversed"
    assert [row[1] for row in history(payment)][-2:] == ["completed", "reversed"]
    events = [line[0] for line in ledger_lines(payment)]
    assert events == ["payout.completed"] * 5 + ["payout.completed.reversal"] * 5
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_allocated, invoice.status) == (
        Decimal("0.00"),
        Decimal("0.00"),
        "open",
    )
    alert = AuditEntry.objects.get(action="payouts.payment.reversed_alert")
    assert alert.message.startswith(
        f"Payout {payment.reference} to Acme Surgicals was reversed after completion"
    )


def test_insufficient_balance_queues_it_at_the_gateway_and_posts_nothing(
    configuration, chart, supplier, maker, run_tasks
):
    payment = payout(
        supplier, maker, bank_account(supplier), amount="1111.11"
    )  # the sandbox's low-balance amount

    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))
    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    queued = SandboxObject.objects.get(entity="payout").body
    assert (queued["status"], queued["status_details"]["reason"]) == ("queued", "low_balance")
    assert payment.status == "processing" and ledger_lines(payment) == []


def test_a_payout_whose_worker_died_before_sending_is_sent_by_the_stale_job(
    configuration, chart, supplier, maker
):
    from datetime import timedelta

    from django.utils import timezone

    from skinspire.payouts.services.submission import supplier_payments_resolve_stale

    payment = payout(supplier, maker, bank_account(supplier))
    # Recorded as submitted, then the worker died before the request left.
    move_to(payment, "submitted")
    SupplierPayment.objects.filter(pk=payment.pk).update(configuration=configuration)

    assert supplier_payments_resolve_stale(older_than=timezone.now() - timedelta(minutes=5)) == {
        "asked": 0,
        "unanswered": 0,
    }
    counts = supplier_payments_resolve_stale(older_than=timezone.now() + timedelta(seconds=1))

    payment.refresh_from_db()
    assert counts == {"asked": 1, "unanswered": 0}
    assert payment.status == "processing" and payment.gateway_payout_id == sandbox_payouts()[0]
    assert len(sandbox_payouts()) == 1


def test_details_changed_after_approval_are_never_sent(configuration, chart, supplier, maker, invoice):
    from skinspire.payouts.services.accounts import supplier_account_change_details

    account = bank_account(supplier)
    payment = payout(supplier, maker, account, invoice=invoice)
    supplier_payment_submit(payment=payment, actor=maker)  # approved; the task has not run yet
    supplier_account_change_details(
        account=account,
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=maker,
    )

    supplier_payment_dispatch(payment_id=payment.pk)

    payment.refresh_from_db()
    assert payment.status == "cancelled" and sandbox_payouts() == []
    assert history(payment)[-1][1:] == ("cancelled", "applied")
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")


def test_a_resend_never_goes_to_details_changed_since(configuration, chart, supplier, maker):
    from skinspire.payouts.services.accounts import supplier_account_change_details

    account = bank_account(supplier)
    payment = payout(supplier, maker, account)
    move_to(payment, "unknown")
    SupplierPayment.objects.filter(pk=payment.pk).update(configuration=configuration)
    supplier_account_change_details(
        account=account,
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=maker,
    )

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "account_changed")
    assert sandbox_payouts() == []


def test_a_fee_different_from_the_preview_is_recorded(
    configuration, chart, supplier, maker, run_tasks, settings
):
    settings.PAYOUT_FEE_RULES = {"razorpay": {"imps": "4.00"}}
    payment = payout(supplier, maker, bank_account(supplier))
    assert payment.fee_preview == Decimal("4.72")

    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))
    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.fee, payment.tax) == ("completed", Decimal("5.90"), Decimal("0.90"))
    entry = AuditEntry.objects.get(action="payouts.payment.fee_differs")
    assert entry.changes == {"fee": {"from": "4.72", "to": "5.90"}}
