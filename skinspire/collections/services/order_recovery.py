"""A payment whose create-order answer was lost: recorded first (DESIGN decision 5), the
gateway called, and then a timeout or a crash, so we hold a pending payment with no
gateway order id, which nothing could ask about (the status sync, webhooks and the checkout
callback all find a payment by its order).

The gateway is asked for the order made with our reference (Razorpay: the order's receipt,
GET /v1/orders?receipt=...; Paytm: our reference is its orderId). Found: the order id is
recorded, and the payment is then synced, paid or abandoned like any other. Not found: the
create never reached the gateway, nobody can pay that order, and the payment fails, which
says so on the bill instead of leaving it pending for ever.
"""

import logging

from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.checkout import fail_payment
from skinspire.gateways.errors import GatewayNotFoundError
from skinspire.gateways.providers.registry import provider_for

logger = logging.getLogger(__name__)

NEVER_CREATED = (
    "The gateway never received the order (its answer was lost, and it has no order for this payment)."
)


def patient_payment_order_recover(*, payment: PatientPayment) -> PatientPayment:
    """Learn the lost order of `payment` from the gateway, or fail it; GatewayError when the
    gateway cannot say now (asked again at the next sync)."""
    gateway = provider_for(payment.configuration)
    try:
        order = gateway.find_order(receipt=payment.reference)
    except GatewayNotFoundError:
        fail_payment(payment=payment, reason=NEVER_CREATED, event_reference=f"recover:{payment.reference}")
        payment.refresh_from_db()
        return payment
    # Conditional: a late answer of the original call may have recorded it meanwhile.
    PatientPayment.objects.filter(pk=payment.pk, gateway_order_id="").update(
        gateway_order_id=order.gateway_order_id, updated_at=timezone.now()
    )
    logger.info(
        "Payment %s: lost order %s recovered from the gateway.", payment.reference, order.gateway_order_id
    )
    payment.refresh_from_db()
    return payment
