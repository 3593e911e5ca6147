"""Helpers for payout tests: a cheque waiting for an approver, ledger lines of a payment, its
status history, the sandbox gateway's clock, and delivering its webhooks to our inbox in a
chosen order."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from skinspire.core.models import StatusTransition
from skinspire.ledger.models import JournalLine
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.sandbox.models import SandboxWebhookDelivery
from skinspire.sandbox.razorpay import events as sandbox_events
from skinspire.sandbox.razorpay.services import common as sandbox_common


def cheque_waiting(supplier, maker, invoice, amount: str) -> SupplierPayment:
    """A cheque already handed over, for part of `invoice`, waiting for an approver."""
    request = PaymentRequest(
        supplier=supplier, amount=amount, method="manual", mode="cheque", manual_reference="CHQ 7",
        invoices=[AllocationRequest(invoice.pk, Decimal(amount))],
    )  # fmt: skip
    payment = supplier_payment_create(request=request, maker=maker)[0]
    supplier_payment_submit(payment=payment, actor=maker)
    return payment


def ledger_lines(payment) -> list[tuple[str, str, str, str]]:
    """(event, account code, debit, credit) of every line posted for `payment`, in order."""
    lines = JournalLine.objects.filter(
        entry__source_type="payouts.supplierpayment", entry__source_id=str(payment.pk)
    ).order_by("entry_id", "id")
    return [(line.entry.event, line.account.code, str(line.debit), str(line.credit)) for line in lines]


def history(payment) -> list[tuple[str, str, str]]:
    rows = StatusTransition.objects.filter(
        content_type__app_label="payouts", content_type__model="supplierpayment", object_id=str(payment.pk)
    ).order_by("occurred_at", "id")
    return [(row.from_state, row.to_state, row.outcome) for row in rows]


class GatewayClock:
    """The sandbox gateway's clock for the events it sends (the envelope's `created_at`, whole
    seconds as Razorpay's) and the objects it records (a payout's `created_at`, a link's
    `cancelled_at`): set it so the gateway says things at known, distinct moments, whatever
    order the test then delivers them in, or runs behind or ahead of ours."""

    def __init__(self, monkeypatch):
        self.start = self.moment = timezone.now()
        monkeypatch.setattr(sandbox_events, "timezone", self)
        monkeypatch.setattr(sandbox_common, "timezone", self)

    def now(self) -> datetime:
        return self.moment

    def localdate(self) -> date:
        return timezone.localdate(self.moment)

    def at(self, seconds: int) -> "GatewayClock":
        """`seconds` after the test began."""
        self.moment = self.start + timedelta(seconds=seconds)
        return self


def inbox_deliver(run_tasks, *deliveries: SandboxWebhookDelivery) -> None:
    """POST each signed delivery to our webhook inbox, in the order given, as the gateway
    would; what the inbox enqueues (relay, processing) runs after each."""
    for delivery in deliveries:
        headers = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in delivery.headers.items()
                   if key.lower() != "content-type"}  # fmt: skip
        answer = run_tasks(
            lambda delivery=delivery, headers=headers: Client().post(
                "/api/gateway/webhook/razorpay", delivery.body, content_type="application/json", **headers
            )
        )
        assert answer.status_code == 200, (delivery.event_type, answer.content)
