"""Applying what the gateway says about a payout: from the create call's answer, a status
fetch, or a webhook. Status only moves forward; a late or repeated word is recorded as
ignored (skinspire.core.transitions). Completion settles the invoices and posts the ledger,
failure releases the invoices, reversal reopens them and mirrors the entry: each only when
its status move is applied, in the same transaction, so exactly once.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.models import User
from skinspire.core.transitions import transition_reported
from skinspire.gateways.providers.interface import GatewayEvent, PayoutResult, PayoutStatus
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.allocations import allocations_release, allocations_reopen, allocations_settle
from skinspire.payouts.services.postings import payment_completion_post, payment_reversal_post

POSTING_RELATED = ("hospital", "supplier")
TARGETS = {
    PayoutStatus.PENDING: "processing",
    PayoutStatus.PROCESSING: "processing",
    PayoutStatus.PROCESSED: "completed",
    PayoutStatus.FAILED: "failed",
    PayoutStatus.REJECTED: "failed",
    PayoutStatus.CANCELLED: "failed",
    PayoutStatus.REVERSED: "reversed",
}


@dataclass(frozen=True)
class PayoutOutcome:
    status: PayoutStatus
    gateway_payout_id: str = ""
    utr: str = ""
    fee: Decimal | None = None
    tax: Decimal | None = None
    failure_reason: str = ""
    failure_code: str = ""
    waiting_reason: str = ""
    waiting_code: str = ""
    # By the gateway's clock: a webhook's time; for an answer we asked for, the latest time
    # the answer carries (the payout's creation, Paytm's processedOn). None if none is known.
    said_at: datetime | None = None
    # An answer we asked for (the create call's, a status fetch), not a webhook: see word_said_at.
    asked: bool = True

    @classmethod
    def from_event(cls, event: GatewayEvent, status: PayoutStatus) -> "PayoutOutcome":
        """What a payout.* event says of the payout (`status`: the event's, as the handler
        read it): a webhook, or the inbox status sync's answer (`event.fetched`)."""
        return cls(
            status=status,
            gateway_payout_id=event.object_id,
            utr=event.utr,
            fee=event.fee,
            tax=event.tax,
            failure_reason=event.failure_reason,
            failure_code=event.failure_code,
            waiting_reason=event.waiting_reason,
            waiting_code=event.waiting_code,
            said_at=event.occurred_at,
            asked=event.fetched,
        )

    @classmethod
    def from_result(cls, result: PayoutResult) -> "PayoutOutcome":
        return cls(
            status=result.status,
            gateway_payout_id=result.gateway_payout_id,
            utr=result.utr,
            fee=result.fee,
            tax=result.tax,
            failure_reason=result.failure_reason,
            failure_code=result.failure_code,
            waiting_reason=result.waiting_reason,
            waiting_code=result.waiting_code,
            said_at=result.said_at,
        )


def supplier_payment_apply_outcome(
    *, payment_id: int, outcome: PayoutOutcome, event_reference: str
) -> SupplierPayment:
    target = TARGETS[outcome.status]
    # Completion and reversal post to the ledger and name the supplier: read with the lock.
    related = POSTING_RELATED if target in ("completed", "reversed") else ()
    with transaction.atomic():
        payment = locks.lock_row(SupplierPayment, pk=payment_id, related=related)
        _store_details(payment, outcome)
        if target == "reversed" and payment.status != "completed":
            # Reversed before we heard it was processed: it was completed first.
            _move(payment, "completed", outcome, event_reference)
        _move(payment, target, outcome, event_reference)
    return payment


def _store_details(payment: SupplierPayment, outcome: PayoutOutcome) -> None:
    changed = []
    for name in ("gateway_payout_id", "utr"):
        value = getattr(outcome, name)
        if value and not getattr(payment, name):
            setattr(payment, name, value)
            changed.append(name)
    fees = (outcome.fee, outcome.tax or Decimal("0.00"))
    settled = payment.status in ("completed", "reversed")
    # Written only when they differ: every event of a payout repeats its fee.
    if outcome.fee is not None and not settled and fees != (payment.fee, payment.tax):
        payment.fee, payment.tax = fees
        changed += ["fee", "tax"]
    in_flight = outcome.status in (PayoutStatus.PENDING, PayoutStatus.PROCESSING)
    if in_flight and payment.status in ("submitted", "unknown", "processing"):
        changed += _waiting_store(payment, outcome)
    elif not in_flight and payment.waiting_reason:
        payment.waiting_reason, payment.waiting_code = "", ""  # it has left the queue
        changed += ["waiting_reason", "waiting_code"]
    if changed:
        # The time alone moving on is no change staff or the status sync's "unchanged since" see.
        touched = ["updated_at"] if changed != ["waiting_said_at"] else []
        payment.save(update_fields=[*changed, *touched])


def _waiting_store(payment: SupplierPayment, outcome: PayoutOutcome) -> list[str]:
    """The gateway's newest word on why the payout waits replaces the one kept: a queued
    payout that starts processing is no longer held, so its reason goes. Webhooks come in
    any order; one said before the word kept (payout.queued after payout.initiated) changes
    nothing."""
    word = word_said_at(kept_at=payment.waiting_said_at, said_at=outcome.said_at, asked=outcome.asked)
    if not word.applies:
        return []
    changed: list[str] = []
    if (payment.waiting_reason, payment.waiting_code) != (outcome.waiting_reason, outcome.waiting_code):
        payment.waiting_reason, payment.waiting_code = outcome.waiting_reason, outcome.waiting_code
        changed += ["waiting_reason", "waiting_code"]
    if word.said_at != payment.waiting_said_at:
        payment.waiting_said_at = word.said_at
        changed.append("waiting_said_at")
    return changed


class Word(NamedTuple):
    applies: bool  # whether the word replaces the one kept
    said_at: datetime | None  # the time to keep beside it


def word_said_at(*, kept_at: datetime | None, said_at: datetime | None, asked: bool) -> Word:
    """Whether a word the gateway said at `said_at` replaces the word kept (said at
    `kept_at`), and the time to keep beside it. Every time is the gateway's clock, never
    ours: ours may run ahead of it, and a genuinely newer webhook would then look older.
    Whole seconds, as Razorpay's `created_at`: two words of the same second go by arrival.

    - A webhook applies unless the word kept was said after it.
    - An answer we asked for (`asked`: the create call's, a status fetch) is what the gateway
      holds now, so it always applies. It has no time of its own: RazorpayX's payout carries
      only its creation, Paytm's status answer usually nothing. It is kept at the latest
      gateway time known, the kept word's or the answer's (`said_at`, e.g. the payout's
      creation), so a fetched word never refuses a webhook said at or after that time, and
      still refuses one said before a word kept earlier. The cost: a webhook said after the
      word kept but before the fetch, delivered after the fetch, replaces the fetched word
      until the next word or fetch (the status sync asks again: a different inbox row came
      between, skinspire/gateways/webhooks/status_sync.py).
    - A webhook with no time (a Paytm callback without processedOn or createdOn) could be
      older than anything: it applies only where no word with a time is kept."""
    said_at = said_at.replace(microsecond=0) if said_at is not None else None
    if asked:
        known = [moment for moment in (kept_at, said_at) if moment is not None]
        return Word(True, max(known, default=None))
    if said_at is None:
        return Word(kept_at is None, None)
    return Word(kept_at is None or said_at >= kept_at, said_at)


def _move(payment: SupplierPayment, target: str, outcome: PayoutOutcome, event_reference: str) -> None:
    reason = (
        outcome.failure_reason
        or outcome.waiting_reason
        or f"The gateway reports the payout {outcome.status.value}."
    )
    payment_outcome_move(payment, target, outcome, event_reference=event_reference, reason=reason)


def payment_outcome_move(
    payment: SupplierPayment,
    target: str,
    outcome: PayoutOutcome,
    *,
    event_reference: str,
    reason: str,
    actor: User | None = None,
) -> None:
    """Move a locked payment to `target` with its side effects, once; a move the table does
    not know from here is recorded as ignored. Used by payouts and payout links alike."""
    # Not a move the table knows from here (e.g. "failed" after "completed"): the gateway
    # contradicts what it said before. Kept in the history as ignored, for a person to look at.
    record = transition_reported(
        instance=payment, to=target, reason=reason, event_reference=event_reference, actor=actor
    )
    if record.applied:
        _after(payment, target, outcome, reason)


def _after(payment: SupplierPayment, target: str, outcome: PayoutOutcome, reason: str) -> None:
    if target == "completed":
        payment.completed_at = timezone.now()
        payment.save(update_fields=["completed_at", "updated_at"])
        allocations_settle(payment=payment)
        payment_completion_post(payment=payment)
        if payment.fee_preview is not None and payment.fee is not None and payment.fee != payment.fee_preview:
            audit_entry_record(
                action="payouts.payment.fee_differs",
                target=payment,
                changes={"fee": {"from": payment.fee_preview, "to": payment.fee}},
                message="The gateway charged a different fee from the preview.",
            )
    elif target == "failed":
        payment.failure_reason, payment.failure_code = outcome.failure_reason, outcome.failure_code
        payment.save(update_fields=["failure_reason", "failure_code", "updated_at"])
        allocations_release(payment=payment)
    elif target in ("cancelled", "expired"):
        # A payout link cancelled or run out at the gateway: nothing was paid.
        allocations_release(payment=payment)
    elif target == "reversed":
        payment.failure_reason, payment.failure_code = outcome.failure_reason, outcome.failure_code
        payment.save(update_fields=["failure_reason", "failure_code", "updated_at"])
        allocations_reopen(payment=payment)
        payment_reversal_post(payment=payment, reason=f"Payout reversed: {reason}")
        # The alert: an entry staff and accountants see in the audit log.
        audit_entry_record(
            action="payouts.payment.reversed_alert",
            target=payment,
            changes={"status": {"from": "completed", "to": "reversed"}},
            message=f"Payout {payment.reference} to {payment.supplier} was reversed after completion: {reason}",
        )
