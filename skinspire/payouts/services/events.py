"""Gateway outcomes from the webhook inbox: `supplier_payment_apply_event` is the payout
handler registered with the inbox (apps.py), and `supplier_payments_pending` what the status
sync asks the gateways about. Status only moves forward: a late or repeated event is
recorded as ignored in the payment's history and changes nothing."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent
from skinspire.gateways.providers.registry import provider_for
from skinspire.payouts.models import PaymentMethod, SupplierPayment
from skinspire.payouts.services.outcomes import PayoutOutcome, supplier_payment_apply_outcome
from skinspire.payouts.services.submission import IN_FLIGHT

logger = logging.getLogger(__name__)


def supplier_payment_apply_event(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None:
    """Apply a verified payout event of `configuration`'s gateway account to our payment."""
    match = _payment_for(event, configuration)
    if match is None:
        logger.info(
            "Payout event %s matches no supplier payment of configuration %s",
            event.event_id,
            configuration.pk,
        )
        return
    payment_id, method = match
    status = provider_for(configuration).payout_event_status(event)
    if method == PaymentMethod.PAYOUT_LINK:
        from skinspire.payouts.services.payout_link_events import supplier_payout_link_apply_payout_event

        payment = SupplierPayment.objects.get(pk=payment_id)
        supplier_payout_link_apply_payout_event(payment=payment, event=event, status=status)
        return
    supplier_payment_apply_outcome(
        payment_id=payment_id,
        outcome=PayoutOutcome.from_event(event, status),
        event_reference=f"webhook:{event.provider}:{event.event_id}"[:200],
    )


def _payment_for(event: GatewayEvent, configuration: GatewayConfiguration) -> tuple[int, str] | None:
    """(id, method) of the payment, by the gateway's payout id, else by our reference: the
    event may come before the create call's answer was saved (then only the reference is
    known on our side). The gateway's id wins when the two would name different payments:
    it is the gateway's own name for the payout the event is about.

    Two lookups, each on its own index (`gateway_payout_id`, the unique `reference`),
    instead of one `gateway_payout_id = … OR reference = …`, which PostgreSQL answers with
    a bitmap OR of both indexes or a scan of the hospital's payments, and which cost about
    a third of the worker's CPU per event in ORM query building alone (the inbox benchmark,
    docs/webhooks.md). Fixed SQL: no query to build per event."""
    for sql, value in ((_BY_GATEWAY_ID, event.object_id), (_BY_REFERENCE, event.reference_id)):
        if not value:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [value, configuration.hospital_id, configuration.pk],
            )
            found = cursor.fetchone()
        if found is not None:
            return found[0], found[1]
    return None


# SupplierPayment's table and columns (test_apply_event checks them against the model).
_BY_GATEWAY_ID = (
    "SELECT id, method FROM payouts_supplierpayment"
    " WHERE gateway_payout_id = %s AND hospital_id = %s AND configuration_id = %s ORDER BY id LIMIT 1"
)
_BY_REFERENCE = (
    "SELECT id, method FROM payouts_supplierpayment"
    " WHERE reference = %s AND hospital_id = %s AND configuration_id = %s ORDER BY id LIMIT 1"
)


@dataclass(frozen=True)
class PendingPayout:
    configuration_id: int
    object_type: str
    gateway_id: str
    reference_id: str


def supplier_payments_pending(*, older_than: datetime | timedelta) -> Iterator[PendingPayout]:
    """Gateway payouts still in flight and unchanged since `older_than` (a moment, or an age)."""
    moment = timezone.now() - older_than if isinstance(older_than, timedelta) else older_than
    pending = SupplierPayment.objects.filter(
        method=PaymentMethod.GATEWAY_PAYOUT,
        status__in=IN_FLIGHT,
        configuration__isnull=False,
        updated_at__lt=moment,
    ).values_list("configuration_id", "gateway_payout_id", "reference")
    for configuration_id, gateway_id, reference in pending.iterator():
        yield PendingPayout(configuration_id, "payout", gateway_id, reference)
