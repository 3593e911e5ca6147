"""Gateway webhooks complete a patient's payment on their own, and together with the
checkout callback apply it once, whichever arrives first.

The webhooks are the sandbox's own, signed and delivered after commit to the test
receiver; each is verified and parsed by the adapter, then handed to
patient_payment_apply_event as the webhook inbox will hand it.
"""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.events import patient_payment_apply_event
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.models import StatusTransition
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.ledger.models import JournalEntry
from tests import e2e_support as e2e
from tests.collections_support import create_order, pay_paytm, pay_razorpay

pytestmark = pytest.mark.django_db


def paid_with_webhooks(staff, bill, provider: str, capture, *, outcome: str = "success"):
    order = create_order(staff, bill, provider)
    with capture(execute=True):
        fields = pay_razorpay(order) if provider == "razorpay" else pay_paytm(order, outcome=outcome)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    adapter = provider_for(payment.configuration)
    events = e2e.verified_events(adapter, e2e.received_from(provider))
    return order, fields, payment, events


def apply_all(events, payment) -> None:
    for event in events:
        patient_payment_apply_event(event=event, configuration=payment.configuration)


def assert_captured_once(payment, bill, *, account: str) -> None:
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, bill.amount_paid, bill.status) == ("captured", Decimal("1500.00"), "partly_paid")
    assert entries_for(payment) == [
        (
            "received",
            [(account, Decimal("1500.00"), Decimal("0.00")), ("1200", Decimal("0.00"), Decimal("1500.00"))],
        )
    ]
    applied = [row for row in history_of(payment) if row[2] == "applied"]
    assert applied == [("pending", "captured", "applied")]


def test_razorpay_browser_closed_the_webhooks_alone_capture_it(
    staff, bill, django_capture_on_commit_callbacks
):
    _, fields, payment, events = paid_with_webhooks(
        staff, bill, "razorpay", django_capture_on_commit_callbacks
    )
    assert [event.event_type for event in events] == ["payment.authorized", "payment.captured", "order.paid"]

    apply_all(events, payment)

    assert_captured_once(payment, bill, account="1100")
    assert payment.gateway_payment_id == fields["razorpay_payment_id"]
    assert [row[2] for row in history_of(payment)] == ["applied", "ignored", "ignored"]
    references = list(payment_history_references(payment))
    assert references == [f"webhook:razorpay:{event.event_id}" for event in events]


def payment_history_references(payment):
    return (
        StatusTransition.objects.filter(object_id=str(payment.pk))
        .order_by("id")
        .values_list("event_reference", flat=True)
    )


def test_razorpay_webhook_first_then_the_verify_callback(staff, bill, django_capture_on_commit_callbacks):
    order, fields, payment, events = paid_with_webhooks(
        staff, bill, "razorpay", django_capture_on_commit_callbacks
    )
    apply_all(events[1:2], payment)  # payment.captured

    body = {"payment_id": order["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
            "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip
    response = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "captured")
    assert_captured_once(payment, bill, account="1100")


def test_razorpay_verify_first_then_duplicated_webhooks(
    staff, bill, demo_merchants, django_capture_on_commit_callbacks
):
    merchant = demo_merchants["razorpay"]
    merchant.webhook_chaos = {"duplicate": True}
    merchant.save(update_fields=["webhook_chaos"])
    order, fields, payment, events = paid_with_webhooks(
        staff, bill, "razorpay", django_capture_on_commit_callbacks
    )
    assert len(events) == 6
    body = {"payment_id": order["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
            "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip
    assert (
        e2e.patient_browser()
        .post("/api/patient-payment/verify", body, content_type="application/json")
        .status_code
        == 200
    )

    apply_all(events, payment)

    assert_captured_once(payment, bill, account="1100")
    assert JournalEntry.objects.count() == 1


def test_paytm_webhook_alone_captures_it_with_the_bank_reference(
    staff, bill, django_capture_on_commit_callbacks
):
    _, form, payment, events = paid_with_webhooks(staff, bill, "paytm", django_capture_on_commit_callbacks)
    assert [(event.object_type, event.status) for event in events] == [("payment", "TXN_SUCCESS")]

    apply_all(events, payment)
    apply_all(events, payment)  # delivered again

    assert_captured_once(payment, bill, account="1110")
    assert (payment.gateway_payment_id, payment.bank_transaction_id) == (form["TXNID"], form["BANKTXNID"])


def test_paytm_failure_webhook_fails_the_payment(staff, bill, django_capture_on_commit_callbacks):
    _, _, payment, events = paid_with_webhooks(
        staff, bill, "paytm", django_capture_on_commit_callbacks, outcome="failure"
    )

    apply_all(events, payment)

    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.status == "failed"
    assert payment.failure_reason
    assert (bill.amount_paid, bill.status) == (Decimal("0"), "unpaid")
    assert JournalEntry.objects.count() == 0


def test_an_event_through_another_hospitals_configuration_touches_nothing(
    staff, bill, django_capture_on_commit_callbacks
):
    _, _, payment, events = paid_with_webhooks(staff, bill, "razorpay", django_capture_on_commit_callbacks)
    stranger = GatewayConfigurationFactory()

    for event in events:
        patient_payment_apply_event(event=event, configuration=stranger)

    payment.refresh_from_db()
    assert payment.status == "pending"
    assert JournalEntry.objects.count() == 0


def test_money_captured_after_we_saw_a_failure_still_lands(staff, bill, django_capture_on_commit_callbacks):
    """The first attempt fails (its webhook marks the payment failed); the patient retries the
    same order and it is captured: failed -> captured is allowed, the late money is recorded."""
    order = create_order(staff, bill, "razorpay")
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    adapter = provider_for(payment.configuration)
    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order, vpa="failure@razorpay")
    apply_all(e2e.verified_events(adapter, e2e.received_from("razorpay")), payment)
    payment.refresh_from_db()
    assert payment.status == "failed"
    e2e.RECEIVED.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order)
    apply_all(e2e.verified_events(adapter, e2e.received_from("razorpay")), payment)

    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.status == "captured"
    assert [row for row in history_of(payment) if row[2] == "applied"] == [
        ("pending", "failed", "applied"),
        ("failed", "captured", "applied"),
    ]
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")
    assert JournalEntry.objects.count() == 1
