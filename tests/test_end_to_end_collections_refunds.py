"""Refunds of checkout payments end to end through both sandboxes: the refund is sent once
with our reference as idempotency key, the gateway's signed refund webhooks complete it,
the ledger is reversed for the refunded part and the bill reopened; a refund the gateway
refuses changes nothing."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.events import patient_payment_apply_event, patient_refund_apply_event
from skinspire.collections.tests.support import entries_for
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger.models import JournalEntry
from skinspire.sandbox.models import SandboxObject
from tests import e2e_support as e2e
from tests.collections_support import create_order, pay_paytm, pay_razorpay

pytestmark = pytest.mark.django_db

CLEARING = {"razorpay": "1100", "paytm": "1110"}


def paid(staff, bill, provider: str, capture) -> PatientPayment:
    order = create_order(staff, bill, provider)
    with capture(execute=True):
        pay_razorpay(order) if provider == "razorpay" else pay_paytm(order)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert payment.configuration is not None
    for event in e2e.verified_events(provider_for(payment.configuration), e2e.received_from(provider)):
        patient_payment_apply_event(event=event, configuration=payment.configuration)
    payment.refresh_from_db()
    assert payment.status == "captured"
    e2e.RECEIVED.clear()
    return payment


def refund_events(payment, provider):
    return [
        event
        for event in e2e.verified_events(provider_for(payment.configuration), e2e.received_from(provider))
        if event.object_type == "refund"
    ]


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_partial_refund_completes_by_webhook(staff, bill, provider, django_capture_on_commit_callbacks):
    payment = paid(staff, bill, provider, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/patient-payments/{payment.pk}/refunds",
                              {"amount": "500.00", "reason": "Procedure cancelled"}, format="json")  # fmt: skip
    assert (response.status_code, response.json()["status"]) == (201, "pending")
    refund = PatientRefund.objects.get()
    log = GatewayTransactionLog.objects.get(operation="create_refund")
    assert log.outcome == "success"
    if provider == "razorpay":
        assert log.idempotency_key == refund.reference

    events = refund_events(payment, provider)
    assert events, "no refund webhook"
    for event in events * 2:  # and each delivered twice
        patient_refund_apply_event(event=event, configuration=payment.configuration)

    refund.refresh_from_db()
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (refund.status, refund.gateway_refund_id != "") == ("processed", True)
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("1000.00"), "partly_paid")
    assert entries_for(refund) == [
        ("processed", [(CLEARING[provider], Decimal("0.00"), Decimal("500.00")),
                       ("1200", Decimal("500.00"), Decimal("0.00"))])
    ]  # fmt: skip
    over = staff.post(
        f"/api/patient-payments/{payment.pk}/refunds", {"amount": "1000.01", "reason": "x"}, format="json"
    )
    assert over.status_code == 409
    assert GatewayTransactionLog.objects.filter(operation="create_refund").count() == 1


def test_a_refund_the_gateway_refuses_fails_and_changes_nothing(
    staff, bill, django_capture_on_commit_callbacks
):
    payment = paid(staff, bill, "razorpay", django_capture_on_commit_callbacks)
    at_gateway = SandboxObject.objects.get(entity="payment", object_id=payment.gateway_payment_id)
    at_gateway.body["status"] = "authorized"  # the gateway will now refuse to refund it
    at_gateway.save(update_fields=["body"])

    response = staff.post(f"/api/patient-payments/{payment.pk}/refunds", {"reason": "Asked"}, format="json")

    assert response.status_code == 502
    refund = PatientRefund.objects.get()
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (refund.status, refund.failure_reason.startswith("The gateway refused the refund")) == (
        "failed",
        True,
    )
    assert (payment.status, payment.amount_refunded) == ("captured", Decimal("0"))
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")
    assert list(JournalEntry.objects.values_list("event", flat=True)) == ["received"]
