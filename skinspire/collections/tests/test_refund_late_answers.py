"""A gateway refund's late or contrary answers (services/refunds.py) change nothing: the
outcome first applied stands, with the payment, the bill and the ledger it moved; the
contrary answer is in the refund's history as ignored, not raised for the inbox to retry;
and the gateway's own refund id is never put back to the placeholder an older answer had."""

from decimal import Decimal
from typing import cast

import pytest

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.refunds import patient_refund_apply_result
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.models import StatusTransition
from skinspire.gateways.providers.interface import RefundResult, RefundStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund(bill) -> PatientRefund:
    payment = cast(PatientPayment, PatientPaymentFactory(bill=bill, status="captured", gateway_order_id="order_1",
                                                         gateway_payment_id="pay_1"))  # fmt: skip
    return PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=payment,
                                        amount=Decimal("100.00"), reason="Asked")  # fmt: skip


def answer(status: RefundStatus, gateway_refund_id: str = "rfnd_1") -> RefundResult:
    return RefundResult(
        gateway_refund_id=gateway_refund_id, gateway_payment_id="pay_1", status=status, gateway_status=status.value,
        amount=Decimal("100.00"), failure_reason="Bank rejected" if status == RefundStatus.FAILED else "",
    )  # fmt: skip


def apply(refund: PatientRefund, result: RefundResult, reference: str) -> PatientRefund:
    patient_refund_apply_result(
        refund=refund, result=result, reason=f"Gateway {reference}", event_reference=reference
    )
    refund.refresh_from_db()
    refund.payment.refresh_from_db()
    return refund


def test_a_failure_after_processed_is_ignored_and_the_money_stays_refunded(refund):
    apply(refund, answer(RefundStatus.PROCESSED), "webhook:razorpay:evt_1")

    apply(refund, answer(RefundStatus.FAILED), "webhook:razorpay:evt_2")

    assert (refund.status, refund.failure_reason) == ("processed", "")
    assert (refund.payment.status, refund.payment.amount_refunded) == (
        "partially_refunded",
        Decimal("100.00"),
    )
    assert [event for event, _ in entries_for(refund)] == ["processed"]
    assert history_of(refund) == [("pending", "processed", "applied"), ("processed", "failed", "ignored")]
    ignored = StatusTransition.objects.order_by("id").last()
    assert ignored is not None
    assert ignored.reason == "Ignored, not a move from processed: Gateway webhook:razorpay:evt_2"


def test_processed_after_a_failure_is_ignored_for_a_person_to_look_at(refund, bill):
    apply(refund, answer(RefundStatus.FAILED), "webhook:razorpay:evt_1")

    apply(refund, answer(RefundStatus.PROCESSED), "webhook:razorpay:evt_2")

    assert (refund.status, refund.failure_reason) == ("failed", "Bank rejected")
    assert (refund.payment.status, refund.payment.amount_refunded) == ("captured", Decimal("0.00"))
    assert entries_for(refund) == []
    assert history_of(refund) == [("pending", "failed", "applied"), ("failed", "processed", "ignored")]


def test_the_gateways_refund_id_is_never_put_back_to_the_placeholder(refund):
    """Paytm's answer carries our refId until Paytm has given its refundId."""
    apply(refund, answer(RefundStatus.PENDING, gateway_refund_id=refund.reference), "task:refund_create")
    assert refund.gateway_refund_id == refund.reference
    apply(refund, answer(RefundStatus.PENDING, gateway_refund_id="20261201RFND1"), "webhook:paytm:evt_1")

    apply(refund, answer(RefundStatus.PENDING, gateway_refund_id=refund.reference), "task:status_sync")

    assert (refund.gateway_refund_id, refund.status) == ("20261201RFND1", "pending")
