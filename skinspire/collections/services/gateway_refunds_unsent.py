"""Gateway refunds whose request may never have reached the gateway: found, or sent again.

A gateway refund is committed pending before the gateway is called (services/refunds.py).
A process that ends before the call (a worker killed, a deploy), or a call whose answer is
lost, leaves it pending with no gateway id. The status sync asks the gateway about it by our
reference (status_sources.py), which makes good a lost answer, but a refund the gateway
never received is "not found" at every run, for ever, while it holds back the patient's
refundable amount.

So a refund still without a gateway id UNSENT_AFTER after it was recorded is asked about by
our reference and, if the gateway has none, sent again under that same reference: the
gateway's idempotency (Razorpay's X-Refund-Idempotency, Paytm's refId) turns a send that
did arrive after all into the first refund's answer, never a second refund. The payouts'
stale sweep does the same (skinspire/payouts/services/submission.py). A gateway that refuses
it fails the refund with the gateway's reason.
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from skinspire.collections.models import PatientRefund, PaymentCategory
from skinspire.collections.services.refunds import patient_refund_apply_result, patient_refund_send
from skinspire.gateways.errors import GatewayError, GatewayNotFoundError
from skinspire.gateways.providers.registry import provider_for

logger = logging.getLogger(__name__)

UNSENT_AFTER = timedelta(minutes=10)
BATCH = 200


def patient_refunds_unsent_resolve(*, now: datetime | None = None) -> dict[str, int]:
    """Counted: asked (refunds looked at); found (the gateway had it: its answer applied);
    sent (sent again, the gateway had none); unanswered (the gateway could not say, or
    refused: tried at the next run, or failed with its reason)."""
    cutoff = (now or timezone.now()) - UNSENT_AFTER
    stale = PatientRefund.objects.filter(
        status="pending",
        gateway_refund_id="",
        payment__category=PaymentCategory.GATEWAY,
        payment__configuration__isnull=False,
        created_at__lt=cutoff,
    ).values_list("pk", flat=True)
    counts = {"asked": 0, "found": 0, "sent": 0, "unanswered": 0}
    for refund_id in list(stale[:BATCH]):
        counts["asked"] += 1
        try:
            counts[_resolve(refund_id)] += 1
        except GatewayError as error:
            counts["unanswered"] += 1
            logger.warning("Refund %s still unresolved: %s", refund_id, error.message)
    return counts


def _resolve(refund_id: int) -> str:
    refund = PatientRefund.objects.select_related("payment__configuration", "payment__bill").get(pk=refund_id)
    gateway = provider_for(refund.payment.configuration)
    try:
        result = gateway.fetch_refund(
            refund_reference=refund.reference, gateway_order_id=refund.payment.gateway_order_id
        )
    except GatewayNotFoundError:
        patient_refund_send(refund=refund, actor=None)
        return "sent"
    patient_refund_apply_result(refund=refund, result=result, reason="The gateway's answer, asked by our reference",
                                event_reference=f"sweep:refund-unsent:{refund.reference}")  # fmt: skip
    return "found"
