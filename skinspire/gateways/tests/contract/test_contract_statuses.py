"""The adapter contract, statuses: every lifecycle step the sandboxes can produce reads as
the same normalised status from every adapter, with failure fields only on failures.

The sandboxes' magic values (docs/sandbox-razorpay.md, docs/sandbox-paytm.md) give the
unhappy paths: an account ending 0000 is rejected by the bank, one ending 9999 is paid and
then reversed, the gateway's failing UPI id is rejected, Paytm's ₹2,222.22 stays pending.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.gateways.providers.interface import (
    LinkStatus,
    OrderStatus,
    PaymentStatus,
    PayoutStatus,
    RefundStatus,
)
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.flows import paid_order, payout_to_its_end
from skinspire.gateways.tests.contract.gateways import PAID_AMOUNT, SPECS, over_both, per_gateway

pytestmark = pytest.mark.django_db

IN_FLIGHT = {PayoutStatus.PENDING, PayoutStatus.PROCESSING}
DESTINATIONS = {
    "bank_account_paid": lambda spec: builders.bank(),
    "upi_id_paid": lambda spec: builders.upi(),
    "bank_account_rejected": lambda spec: builders.bank(builders.ACCOUNT_REJECTED),
    "upi_id_rejected": lambda spec: builders.upi(spec.failing_vpa),
    "bank_account_reversed": lambda spec: builders.bank(builders.ACCOUNT_REVERSED),
}
PAYOUT_ENDS = {
    "bank_account_paid": PayoutStatus.PROCESSED,
    "upi_id_paid": PayoutStatus.PROCESSED,
    "bank_account_rejected": PayoutStatus.FAILED,
    "upi_id_rejected": PayoutStatus.FAILED,
    "bank_account_reversed": PayoutStatus.REVERSED,
}


@over_both
@pytest.mark.parametrize("destination", DESTINATIONS)
def test_a_payout_is_in_flight_then_reads_its_end_state(gateway, destination):
    request = builders.payout(destination=DESTINATIONS[destination](gateway.spec))

    created, final = payout_to_its_end(gateway, request)

    assert created.status in IN_FLIGHT
    assert (created.failure_code, created.failure_reason) == ("", "")
    assert final.status == PAYOUT_ENDS[destination]
    assert isinstance(final.status, PayoutStatus) and final.gateway_status
    # The gateway's fee includes GST, for every gateway: ₹5.00 + 18% at both sandboxes.
    assert (final.fee, final.tax) == (Decimal("5.90"), Decimal("0.90"))
    if final.status == PayoutStatus.PROCESSED:
        assert (final.failure_code, final.failure_reason) == ("", "")
        assert len(final.utr) >= 11
    else:
        assert final.failure_code and final.failure_reason


@over_both
def test_a_new_order_is_created(gateway):
    order = gateway.provider.create_order(builders.order())

    assert (order.status, order.amount) == (OrderStatus.CREATED, PAID_AMOUNT)
    assert order.gateway_status


@per_gateway("outcome", [(spec, outcome) for spec in SPECS for outcome in spec.payment_outcomes])
def test_a_payment_reads_the_outcome_the_patient_had(gateway, outcome):
    amount, succeed, status = gateway.spec.payment_outcomes[outcome]

    _, payment = paid_order(gateway, amount=amount, succeed=succeed)

    assert (payment.status, payment.amount, payment.amount_refunded) == (status, amount, Decimal("0.00"))
    assert payment.gateway_status and payment.method
    if status == PaymentStatus.FAILED:
        assert payment.failure_code and payment.failure_reason
    else:
        assert (payment.failure_code, payment.failure_reason) == ("", "")


@over_both
def test_a_partial_refund_is_pending_then_processed_and_the_payment_stays_captured(gateway):
    order, payment = paid_order(gateway)
    request = builders.refund(
        gateway_payment_id=payment.gateway_payment_id, gateway_order_id=order.gateway_order_id
    )

    created = gateway.provider.create_refund(request)
    gateway.spec.process_refund(created.gateway_refund_id)
    processed = gateway.provider.fetch_refund(
        refund_reference="CRFND-0001", gateway_order_id=order.gateway_order_id
    )

    assert (created.status, processed.status) == (RefundStatus.PENDING, RefundStatus.PROCESSED)
    assert (processed.failure_code, processed.failure_reason) == ("", "")
    after = gateway.provider.fetch_payment(gateway_order_id=order.gateway_order_id)
    assert (after.status, after.amount_refunded) == (PaymentStatus.CAPTURED, Decimal("500.10"))


@over_both
def test_a_full_refund_leaves_the_payment_refunded(gateway):
    order, payment = paid_order(gateway)
    request = builders.refund(
        gateway_payment_id=payment.gateway_payment_id, gateway_order_id=order.gateway_order_id, amount=None
    )

    refund = gateway.provider.create_refund(request)
    gateway.spec.process_refund(refund.gateway_refund_id)

    assert refund.amount == PAID_AMOUNT
    after = gateway.provider.fetch_payment(gateway_order_id=order.gateway_order_id)
    assert (after.status, after.amount_refunded) == (PaymentStatus.REFUNDED, PAID_AMOUNT)


def _pay(gateway, link):
    gateway.spec.pay_link(gateway.merchant, link.gateway_link_id)


def _cancel(gateway, link):
    cancelled = gateway.provider.cancel_payment_link(link.gateway_link_id)
    assert cancelled.status == LinkStatus.CANCELLED


def _expire(gateway, link):
    gateway.spec.expire_link(link.gateway_link_id)


LINK_STEPS = {
    "paid": (_pay, LinkStatus.PAID, PAID_AMOUNT),
    "cancelled": (_cancel, LinkStatus.CANCELLED, Decimal("0.00")),
    "expired": (_expire, LinkStatus.EXPIRED, Decimal("0.00")),
}


@over_both
@pytest.mark.parametrize("step", LINK_STEPS)
def test_a_payment_link_is_created_then_reads_what_happened_to_it(gateway, step):
    happen, status, paid = LINK_STEPS[step]
    expire_by = timezone.now() + timedelta(hours=2)
    link = gateway.provider.create_payment_link(builders.payment_link(expire_by=expire_by))
    assert (link.status, link.amount, link.amount_paid) == (LinkStatus.CREATED, PAID_AMOUNT, Decimal("0.00"))

    happen(gateway, link)
    fetched = gateway.provider.fetch_payment_link(link.gateway_link_id)

    assert (fetched.status, fetched.amount, fetched.amount_paid) == (status, PAID_AMOUNT, paid)
    assert len(fetched.payment_ids) == (1 if step == "paid" else 0)
    assert fetched.gateway_status
