"""Payout-link events from the webhook inbox (registered in apps.py): `payout_link.*`
webhooks and status-sync answers, and the `payout.*` events of the payouts a link's claims
make, which supplier_payment_apply_event hands over here. Status only moves forward; a late
or repeated word is recorded as ignored (skinspire.core.transitions)."""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from skinspire.core import locks
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent, PayoutLinkStatus, PayoutStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.payouts.models import PaymentMethod, SupplierPayment
from skinspire.payouts.services.events import PendingPayout
from skinspire.payouts.services.outcomes import (
    PayoutOutcome,
    payment_outcome_move,
    supplier_payment_apply_outcome,
)
from skinspire.payouts.services.payout_link_outcomes import LinkOutcome, supplier_payout_link_apply
from skinspire.payouts.services.payout_links import link_payout

logger = logging.getLogger(__name__)

LINK_STATUSES = {status.value: status for status in PayoutLinkStatus}
# payout_link.attempted carries the link back in `issued`: the supplier's payout failed.
ATTEMPTED_REASON = "The supplier's payout failed; the link is open again for them to enter other details."


def supplier_payout_link_apply_event(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None:
    """The inbox's handler for `payout_link` events."""
    payment = _payment_for(event, configuration)
    if payment is None:
        logger.info("Payout link event %s matches no supplier payment of configuration %s",
                    event.event_id, configuration.pk)  # fmt: skip
        return
    outcome = LinkOutcome(
        status=LINK_STATUSES.get(event.status, PayoutLinkStatus.ISSUED),
        gateway_status=event.status,
        gateway_link_id=event.object_id,
        gateway_payout_id=event.gateway_payout_id,
        said_at=event.occurred_at,
        asked=event.fetched,  # the status sync's answer, or a webhook
    )
    # The link's event has no UTR or fee: its payout has them (unless our payment already
    # completed through that payout's own event).
    needs_payout = outcome.status == PayoutLinkStatus.PROCESSED and payment.status != "completed"
    supplier_payout_link_apply(
        payment_id=payment.pk,
        outcome=outcome,
        payout=link_payout(provider_for(configuration), outcome) if needs_payout else None,
        event_reference=f"webhook:{event.provider}:{event.event_id}"[:200],
        reason=ATTEMPTED_REASON if event.event_type.endswith(".attempted") else "",
    )


def _payment_for(event: GatewayEvent, configuration: GatewayConfiguration) -> SupplierPayment | None:
    """By the gateway's link id, or by our reference (the link's receipt): the event may come
    before the create call's answer was saved."""
    match = Q()
    if event.object_id:
        match |= Q(payout_link_id=event.object_id)
    if event.reference_id:
        match |= Q(reference=event.reference_id)
    if not match:
        return None
    return SupplierPayment.objects.filter(
        match,
        method=PaymentMethod.PAYOUT_LINK,
        hospital_id=configuration.hospital_id,
        configuration=configuration,
    ).first()


def supplier_payout_link_apply_payout_event(
    *, payment: SupplierPayment, event: GatewayEvent, status: PayoutStatus
) -> None:
    """A payout.* event of the payout a claim made. Processed completes the payment (with
    the UTR and fee); reversed after completion reverses it. A failure is not the payment's:
    the link goes back to issued and the supplier may claim it again."""
    reference = f"webhook:{event.provider}:{event.event_id}"[:200]
    if status in (PayoutStatus.FAILED, PayoutStatus.REJECTED, PayoutStatus.CANCELLED):
        outcome = PayoutOutcome(status=PayoutStatus.PROCESSING)
        reason = f"{ATTEMPTED_REASON} ({event.failure_reason or status.value})"
        with transaction.atomic():
            locked = locks.lock_row(SupplierPayment, pk=payment.pk)
            _failed_attempt_record(locked, event)
            payment_outcome_move(locked, "processing", outcome, event_reference=reference, reason=reason)
        return
    if status == PayoutStatus.REVERSED and payment.status != "completed":
        return  # the link's own events tell what became of it
    supplier_payment_apply_outcome(
        payment_id=payment.pk,
        outcome=PayoutOutcome.from_event(event, status),
        event_reference=reference,
    )


def _failed_attempt_record(payment: SupplierPayment, event: GatewayEvent) -> None:
    """Keep the failed payout's id (once, however often its event comes) for reconciliation:
    its debit and credit-back are on the statement with no payout of ours that completed."""
    if not event.object_id or any(
        item["payout_id"] == event.object_id for item in payment.failed_payout_attempts
    ):
        return
    moment = event.occurred_at or timezone.now()
    payment.failed_payout_attempts = [
        *payment.failed_payout_attempts,
        {
            "payout_id": event.object_id,
            "fee": None if event.fee is None else str(event.fee),
            "tax": None if event.tax is None else str(event.tax),
            "failed_at": moment.isoformat(),
        },
    ]
    payment.save(update_fields=["failed_payout_attempts", "updated_at"])


def supplier_payout_links_pending(*, older_than: datetime | timedelta) -> Iterator[PendingPayout]:
    """Links issued (or claimed) and unchanged since `older_than`: the status sync asks the
    gateway, so a lost payout_link.processed or .expired webhook is found."""
    moment = timezone.now() - older_than if isinstance(older_than, timedelta) else older_than
    pending = (
        SupplierPayment.objects.filter(
            method=PaymentMethod.PAYOUT_LINK,
            status="processing",
            configuration__isnull=False,
            updated_at__lt=moment,
        )
        .exclude(payout_link_id="")
        .values_list("configuration_id", "payout_link_id", "reference")
    )
    for configuration_id, link_id, reference in pending.iterator():
        yield PendingPayout(configuration_id, "payout_link", link_id, reference)
