"""End to end through the webhook inbox: a payout sent to the sandbox's RazorpayX, its
signed webhooks delivered to POST /api/gateway/webhook/razorpay, stored, verified, relayed
and handed to the payouts handler: the payment completes and the ledger is posted once."""

from decimal import Decimal

import pytest

from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account
from skinspire.payouts.tests.support import history, ledger_lines

pytestmark = pytest.mark.django_db

INBOX = "http://sandbox.testserver/api/gateway/webhook/razorpay"


def test_a_payout_completes_through_the_inbox(configuration, merchant, chart, supplier, maker, run_tasks):
    merchant.webhook_url = INBOX
    merchant.save(update_fields=["webhook_url"])
    invoice = SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("3000.00"))
    request = PaymentRequest(
        supplier=supplier,
        account=bank_account(supplier),
        amount="3000.00",
        method="gateway_payout",
        mode="imps",
        invoices=[AllocationRequest(invoice.pk, Decimal("3000.00"))],
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]

    # submit -> dispatch task -> sandbox payout and its steps -> webhooks -> inbox -> handler
    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))

    payment.refresh_from_db()
    assert payment.status == "completed"
    # The payout.initiated webhook repeats what the create call's answer already said.
    assert history(payment) == [
        ("draft", "approved", "applied"),
        ("approved", "submitted", "applied"),
        ("submitted", "processing", "applied"),
        ("processing", "processing", "ignored"),
        ("processing", "completed", "applied"),
    ]
    rows = WebhookEvent.objects.filter(object_type="payout").order_by("id")
    assert [(row.event_type, row.status) for row in rows] == [
        ("payout.initiated", "processed"),
        ("payout.processed", "processed"),
    ]
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
    assert sorted(line[1:] for line in ledger_lines(payment))[0] == ("1100", "0.00", "3000.00")
    assert SupplierInvoice.objects.get(pk=invoice.pk).status == "paid"
    assert SupplierPayment.objects.count() == 1


def test_a_lost_webhook_is_made_good_by_the_inbox_status_sync(
    configuration, chart, supplier, maker, run_tasks
):
    from datetime import timedelta

    from django.utils import timezone

    from skinspire.gateways.webhooks.status_sync import status_sync_run

    request = PaymentRequest(
        supplier=supplier,
        account=bank_account(supplier),
        amount="800.00",
        method="gateway_payout",
        mode="neft",
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]
    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))  # no webhook reaches us
    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"

    counts = status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment.refresh_from_db()
    assert (counts["asked"], counts["applied"], payment.status) == (1, 1, "completed")
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
