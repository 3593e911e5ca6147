"""Gateway events about patient payments (webhooks, status sync), applied forward only.

An event only says which payment to look at: what the payment IS comes from asking the
gateway (fetch_payment, normalised by the adapter), the same way the checkout callback is
handled. So no provider's status words are read here, a forged or stale event can do no
more than make us ask, and a verify callback and a webhook for the same payment, in
either order, capture it once.
"""

import logging

from django.db.models import Q
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund, PaymentCategory, PaymentLink
from skinspire.collections.services.links import payment_link_settle_from_gateway
from skinspire.collections.services.outcomes import patient_payment_apply_result
from skinspire.collections.services.refunds import patient_refund_apply_result
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent, PaymentProvider, PaymentStatus
from skinspire.gateways.providers.registry import provider_for

logger = logging.getLogger(__name__)

PAYMENT_OBJECT_TYPES = ("payment", "order")


def patient_payment_for_event(
    *, event: GatewayEvent, configuration: GatewayConfiguration
) -> PatientPayment | None:
    """Our payment the event is about, within the configuration's hospital: the one with the
    event's payment id, else our checkout order's. A link's payments are found by their payment
    id only: a Razorpay link's parts are all payments of the link's one order, so its order id
    would name any of them (and a part not yet recorded is the link's flow to record)."""
    payments = PatientPayment.objects.select_related("bill", "configuration").filter(
        hospital_id=configuration.hospital_id, source=event.provider, category=PaymentCategory.GATEWAY
    )
    if event.gateway_payment_id:
        named = payments.filter(gateway_payment_id=event.gateway_payment_id).first()
        if named is not None:
            return named
    keys = Q(pk__in=[])
    if event.gateway_order_id:
        keys |= Q(gateway_order_id=event.gateway_order_id)
    if event.reference_id:
        keys |= Q(reference=event.reference_id)
    if event.object_type == "order" and event.object_id:
        keys |= Q(gateway_order_id=event.object_id)
    return payments.filter(keys, payment_link__isnull=True).exclude(gateway_order_id="").first()


def patient_payment_apply_event(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None:
    """The webhook handler for payment and order events (skinspire.gateways.webhooks.registry)."""
    if event.object_type not in PAYMENT_OBJECT_TYPES:
        return
    payment = patient_payment_for_event(event=event, configuration=configuration)
    if payment is None:
        logger.info(
            "Gateway event %s (%s) is about no patient payment of ours.", event.event_id, event.event_type
        )
        return
    patient_payment_settle_from_gateway(
        payment=payment,
        gateway=provider_for(payment.configuration),
        gateway_payment_id=event.gateway_payment_id,
        reason=f"Gateway event {event.event_type}",
        event_reference=f"webhook:{event.provider}:{event.event_id}"[:200],
        bank_transaction_id=event.utr,
    )


def patient_payment_settle_from_gateway(
    *,
    payment: PatientPayment,
    gateway: PaymentProvider,
    gateway_payment_id: str,
    reason: str,
    event_reference: str,
    bank_transaction_id: str = "",
) -> None:
    """Ask the gateway what the payment is, capture it if it is only authorized, apply it."""
    result = gateway.fetch_payment(
        gateway_payment_id=gateway_payment_id, gateway_order_id=payment.gateway_order_id
    )
    if result.status == PaymentStatus.AUTHORIZED:
        result = gateway.capture_payment(result.gateway_payment_id, result.amount)
    patient_payment_apply_result(
        payment=payment,
        result=result,
        reason=reason,
        event_reference=event_reference,
        bank_transaction_id=bank_transaction_id,
    )


def patient_refund_apply_event(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None:
    """The webhook handler for refund events: find our refund, ask the gateway, apply."""
    keys = Q(pk__in=[])
    if event.reference_id:
        keys |= Q(reference=event.reference_id)
    if event.object_id:
        keys |= Q(gateway_refund_id=event.object_id)
    refund = (
        PatientRefund.objects.select_related("payment", "payment__configuration")
        .filter(keys, hospital_id=configuration.hospital_id, payment__source=event.provider)
        .first()
    )
    if refund is None:
        logger.info("Refund event %s (%s) is about no refund of ours.", event.event_id, event.event_type)
        return
    gateway = provider_for(refund.payment.configuration)
    result = gateway.fetch_refund(
        gateway_refund_id=refund.gateway_refund_id or event.object_id,
        refund_reference=refund.reference,
        gateway_order_id=refund.payment.gateway_order_id,
    )
    patient_refund_apply_result(
        refund=refund,
        result=result,
        reason=f"Gateway event {event.event_type}",
        event_reference=f"webhook:{event.provider}:{event.event_id}"[:200],
        bank_reference=event.utr,
    )


def payment_link_apply_event(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None:
    """The webhook handler for payment link events (paid, partially paid, expired, cancelled)."""
    keys = Q(pk__in=[])
    if event.object_id:
        keys |= Q(gateway_link_id=event.object_id)
    if event.reference_id:
        keys |= Q(reference=event.reference_id)
    link = (
        PaymentLink.objects.select_related("bill", "configuration")
        .filter(keys, hospital_id=configuration.hospital_id, source=event.provider)
        .first()
    )
    if link is not None and not link.gateway_link_id:
        link = _link_adopted(link=link, event=event)
    if link is None:
        logger.info("Link event %s (%s) is about no link of ours.", event.event_id, event.event_type)
        return
    payment_link_settle_from_gateway(
        link=link,
        gateway_payment_id=event.gateway_payment_id,
        gateway_order_id=event.gateway_order_id,
        reason=f"Gateway event {event.event_type}",
        event_reference=f"webhook:{event.provider}:{event.event_id}"[:200],
        bank_transaction_id=event.utr,
    )


def _link_adopted(*, link: PaymentLink, event: GatewayEvent) -> PaymentLink | None:
    """A link whose create answer was lost (a timeout after the gateway acted) has no gateway
    id, yet the gateway holds it and may have sent it to the patient; its event names it by
    our reference (Razorpay's reference_id), signed by the account, so the id is learnt here
    and its payments are recorded like any other's. Conditional: a late answer of the
    original call may have written it meanwhile."""
    if not event.object_id or event.reference_id != link.reference:
        return None
    PaymentLink.objects.filter(pk=link.pk, gateway_link_id="").update(
        gateway_link_id=event.object_id, updated_at=timezone.now()
    )
    logger.warning("Link %s: its lost gateway id %s learnt from event %s.", link.reference, event.object_id,
                   event.event_id)  # fmt: skip
    link.refresh_from_db()
    return link
