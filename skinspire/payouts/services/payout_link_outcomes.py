"""Applying what the gateway says about a payout link, from the create call's answer, a
status fetch, a payout_link.* webhook, or a payout.* webhook of the payout a claim made.

A link's life (https://razorpay.com/docs/x/payout-links/life-cycle/) against the payment's:
issued / processing (the supplier claimed it, the payout runs) -> `processing`; processed ->
`completed`, through the same completion path as a gateway payout (invoices settled, the
ledger posted once, UTR and fee from the link's payout); cancelled -> `cancelled`, expired
-> `expired`, rejected -> `failed`, each releasing the invoices and posting nothing. A
payout that fails puts the link back to issued (payout_link.attempted): the payment stays
`processing`, the history says the supplier may try again.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from skinspire.core import locks
from skinspire.core.models import User
from skinspire.gateways.providers.interface import (
    PayoutLinkResult,
    PayoutLinkStatus,
    PayoutResult,
    PayoutStatus,
)
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.outcomes import (
    PayoutOutcome,
    payment_outcome_move,
    supplier_payment_apply_outcome,
    word_said_at,
)

LINK_TARGETS = {
    PayoutLinkStatus.PENDING: "processing",
    PayoutLinkStatus.ISSUED: "processing",
    PayoutLinkStatus.PROCESSING: "processing",
    PayoutLinkStatus.PROCESSED: "completed",
    PayoutLinkStatus.CANCELLED: "cancelled",
    PayoutLinkStatus.EXPIRED: "expired",
    PayoutLinkStatus.REJECTED: "failed",
}
REASONS = {
    PayoutLinkStatus.PENDING: "The payout link awaits approval at the gateway.",
    PayoutLinkStatus.ISSUED: "The payout link is issued; waiting for the supplier to claim it.",
    PayoutLinkStatus.PROCESSING: "The supplier gave their account; the gateway is paying it.",
    PayoutLinkStatus.CANCELLED: "The payout link was cancelled; nothing was paid.",
    PayoutLinkStatus.EXPIRED: "The payout link expired before the supplier claimed it; nothing was paid.",
    PayoutLinkStatus.REJECTED: "The payout link was rejected at the gateway; nothing was paid.",
}


@dataclass(frozen=True)
class LinkOutcome:
    status: PayoutLinkStatus
    gateway_status: str
    gateway_link_id: str = ""
    url: str = ""
    expires_at: datetime | None = None
    gateway_payout_id: str = ""
    said_at: datetime | None = None  # by the gateway's clock, as PayoutOutcome.said_at
    asked: bool = True  # an answer we asked for, not a webhook (outcomes.word_said_at)

    @classmethod
    def from_result(cls, result: PayoutLinkResult) -> "LinkOutcome":
        return cls(
            status=result.status,
            gateway_status=result.gateway_status,
            gateway_link_id=result.gateway_link_id,
            url=result.url,
            expires_at=result.expires_at,
            gateway_payout_id=result.gateway_payout_id,
            said_at=result.said_at,
        )


def supplier_payout_link_apply(
    *,
    payment_id: int,
    outcome: LinkOutcome,
    event_reference: str,
    payout: PayoutResult | None = None,
    reason: str = "",
    actor: User | None = None,
) -> SupplierPayment:
    """`payout`: the link's payout as fetched, for its UTR and fee when the link is processed."""
    with transaction.atomic():
        payment = locks.lock_row(SupplierPayment, pk=payment_id)
        _store_link(payment, outcome)
        target = LINK_TARGETS[outcome.status]
        if target == "completed":
            return _complete(payment, outcome, payout, event_reference)
        failure = REASONS[outcome.status] if target == "failed" else ""
        payout_outcome = PayoutOutcome(
            status=PayoutStatus.PROCESSING, failure_reason=failure, failure_code="rejected" if failure else ""
        )
        payment_outcome_move(
            payment,
            target,
            payout_outcome,
            event_reference=event_reference,
            reason=reason or REASONS[outcome.status],
            actor=actor,
        )
    return payment


def _store_link(payment: SupplierPayment, outcome: LinkOutcome) -> None:
    changed: dict[str, object] = {}
    settled = payment.status in ("completed", *payment.state_machine.final)
    # The link's word and the payout its latest claim made, unless the word kept was said
    # after this one: webhooks come in any order (a failed claim's, after the next claim's).
    word = word_said_at(kept_at=payment.payout_link_said_at, said_at=outcome.said_at, asked=outcome.asked)
    # A late word about a link we are done with (issued after expired) changes nothing shown.
    if word.applies and (not settled or LINK_TARGETS[outcome.status] == payment.status):
        changed["payout_link_status"] = outcome.gateway_status or outcome.status.value
        changed["payout_link_said_at"] = word.said_at
    if outcome.gateway_link_id and not payment.payout_link_id:
        changed["payout_link_id"] = outcome.gateway_link_id
    if outcome.url and not payment.payout_link_url:
        changed["payout_link_url"] = outcome.url
    if outcome.expires_at and not payment.payout_link_expires_at:
        changed["payout_link_expires_at"] = outcome.expires_at
    # Each claim makes a new payout; the latest is the one whose events count. Never after
    # completion: that payout is the one paid (and the one a reversal would name).
    if outcome.gateway_payout_id and not settled and word.applies:
        changed["gateway_payout_id"] = outcome.gateway_payout_id
    for name, value in changed.items():
        setattr(payment, name, value)
    if changed:
        payment.save(update_fields=[*changed, "updated_at"])


def _complete(
    payment: SupplierPayment, outcome: LinkOutcome, payout: PayoutResult | None, event_reference: str
) -> SupplierPayment:
    details = (
        PayoutOutcome.from_result(payout)
        if payout is not None
        else PayoutOutcome(status=PayoutStatus.PROCESSED)
    )
    # The link says processed, whatever word its payout's snapshot had.
    details = PayoutOutcome(
        status=PayoutStatus.PROCESSED,
        gateway_payout_id=details.gateway_payout_id or outcome.gateway_payout_id,
        utr=details.utr,
        fee=details.fee,
        tax=details.tax,
    )
    return supplier_payment_apply_outcome(
        payment_id=payment.pk, outcome=details, event_reference=event_reference
    )
