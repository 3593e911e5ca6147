"""Refunds: never more than was received minus what is already refunded or on its way back.

The bound holds under concurrency because every refund is created under its payment's row
lock, counting pending refunds too (double clicks, API retries and webhooks all meet that
lock). The row is committed before the gateway is called, and each refund is sent once
with its own reference as the idempotency key (Razorpay's X-Refund-Idempotency).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from skinspire.collections.models import (
    COMMITTED_REFUND_STATUSES,
    PatientPayment,
    PatientRefund,
    PaymentCategory,
)
from skinspire.collections.services.payments import bill_paid_amount_refresh
from skinspire.collections.services.postings import refund_processed_post
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.idempotency import created_once, replay_or_conflict, row_with_key
from skinspire.core.models import User
from skinspire.core.money import format_inr, to_rupees
from skinspire.core.transitions import transition, transition_reported
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.providers.interface import RefundRequest, RefundResult, RefundStatus
from skinspire.gateways.providers.registry import provider_for

REFUNDABLE_STATUSES = ("captured", "partially_refunded")
ZERO = Decimal("0.00")


def refundable_amount(*, payment: PatientPayment) -> Decimal:
    committed = payment.refunds.filter(status__in=COMMITTED_REFUND_STATUSES).aggregate(total=Sum("amount"))[
        "total"
    ]
    return payment.amount - (committed or ZERO)


def patient_refund_create(
    *, actor: User, payment: PatientPayment, reason: str, amount: Decimal | str | None = None,
    idempotency_key: str = "",
) -> PatientRefund:  # fmt: skip
    """Record the refund (bounded, under the payment's lock), then ask the gateway once."""
    refund, _ = patient_refund_create_once(
        actor=actor, payment=payment, reason=reason, amount=amount, idempotency_key=idempotency_key
    )
    return refund


def patient_refund_create_once(
    *, actor: User, payment: PatientPayment, reason: str, amount: Decimal | str | None = None,
    idempotency_key: str = "",
) -> tuple[PatientRefund, bool]:  # fmt: skip
    """The new refund and True; or, for an idempotency key already used in the hospital, the
    first refund and False, as it stands, with no second call to the gateway (another payment
    or amount is a 409; no amount matches the first's, whatever it was). A counter refund the
    first request left pending is marked paid back by the retry."""
    request = _RefundAsked(payment_id=payment.pk, amount=None if amount is None else to_rupees(amount))
    refund, created = created_once(
        lambda: _refund_record(actor=actor, payment=payment, reason=reason, request=request, key=idempotency_key),
        model=PatientRefund, hospital_id=payment.hospital_id, key=idempotency_key,
        same_request=request.same_as, noun="refund", viewer=actor,
    )  # fmt: skip
    if refund.payment.category == PaymentCategory.MANUAL and (created or refund.status == "pending"):
        # A retry of the same counter form is the same word as the first submit: it finishes
        # a refund the first request recorded but did not live to mark paid back (once: the
        # transition table). One failed meanwhile (services/counter_refunds.py) stays failed.
        patient_refund_processed(refund=refund, reason="Paid back at the counter", actor=actor)
        refund.refresh_from_db()
        return refund, created
    if not created:
        return refund, False
    patient_refund_send(refund=refund, actor=actor)
    refund.refresh_from_db()
    return refund, True


@dataclass(frozen=True)
class _RefundAsked:
    payment_id: int
    amount: Decimal | None  # None: all that can still be refunded

    def same_as(self, existing: PatientRefund) -> bool:
        return existing.payment_id == self.payment_id and self.amount in (None, existing.amount)


def patient_refund_send(*, refund: PatientRefund, actor: User | None) -> None:
    """Ask the gateway for the refund, under its reference as the idempotency key (so sending
    it again, services/gateway_refunds_unsent.py, never refunds twice), and apply the answer."""
    gateway = provider_for(refund.payment.configuration)
    request = RefundRequest(
        gateway_payment_id=refund.payment.gateway_payment_id,
        gateway_order_id=refund.payment.gateway_order_id,
        refund_reference=refund.reference,
        amount=refund.amount,
        notes={"payment": refund.payment.reference, "bill": refund.payment.bill.number},
    )
    try:
        result = gateway.create_refund(request)
    except GatewayError as error:
        if error.provably_failed:
            patient_refund_failed(refund=refund, reason=f"The gateway refused the refund: {error.message}",
                                  actor=actor, failure_code=error.code or "")  # fmt: skip
        raise
    patient_refund_apply_result(refund=refund, result=result, reason="The gateway's answer", actor=actor)


def _refund_record(
    *, actor: User, payment: PatientPayment, reason: str, request: _RefundAsked, key: str
) -> tuple[PatientRefund, bool]:
    locked = locks.lock_row(PatientPayment, pk=payment.pk)
    # Under the payment's lock: a second submit waits for the first and finds its refund,
    # instead of a payment with nothing left to refund.
    existing = row_with_key(PatientRefund, hospital_id=locked.hospital_id, key=key)
    if existing is not None:
        answer = replay_or_conflict(
            existing, same_request=request.same_as(existing), noun="refund", viewer=actor
        )
        return answer, False
    if locked.status not in REFUNDABLE_STATUSES:
        raise ConflictError(
            f"Payment {locked.reference} is {locked.get_status_display().lower()}; only received payments are refunded.",
            {"payment_id": locked.pk, "status": locked.status},
        )
    available = refundable_amount(payment=locked)
    wanted = available if request.amount is None else request.amount
    if wanted <= 0 or wanted > available:
        raise ConflictError(
            f"At most {format_inr(available)} of payment {locked.reference} can still be refunded.",
            {
                "payment_id": locked.pk,
                "refundable": str(available),
                "fields": {"amount": [f"At most {available}."]},
            },
        )
    refund = PatientRefund.objects.create(
        hospital_id=locked.hospital_id, branch_id=locked.branch_id, payment=locked, amount=wanted,
        reason=reason, requested_by=actor, idempotency_key=key or None,
    )  # fmt: skip
    audit_entry_record(
        action="patient_refund.create",
        actor=actor,
        target=refund,
        changes={"amount": {"from": None, "to": wanted}, "payment": {"from": None, "to": locked.reference}},
        message=reason,
    )
    return refund, True


def patient_refund_apply_result(
    *,
    refund: PatientRefund,
    result: RefundResult,
    reason: str,
    actor: User | None = None,
    event_reference: str = "",
    bank_reference: str = "",
) -> None:
    _gateway_refund_id_store(refund=refund, gateway_refund_id=result.gateway_refund_id)
    if result.status == RefundStatus.PROCESSED:
        patient_refund_processed(
            refund=refund,
            reason=reason,
            actor=actor,
            event_reference=event_reference,
            bank_reference=bank_reference,
        )
    elif result.status == RefundStatus.FAILED:
        patient_refund_failed(refund=refund, reason=reason, actor=actor, event_reference=event_reference,
                              failure_code=result.failure_code, failure_reason=result.failure_reason)  # fmt: skip


def _gateway_refund_id_store(*, refund: PatientRefund, gateway_refund_id: str) -> None:
    """The gateway's id for the refund. Paytm answers with our refId until it has given its
    own refundId (RefundResult.gateway_refund_id): an answer older than the one that brought
    the refundId must not put the placeholder back. So an id is written only over none, and
    a real one over the placeholder: a conditional UPDATE, whatever the caller's copy says."""
    if not gateway_refund_id:
        return
    replaceable = ("",) if gateway_refund_id == refund.reference else ("", refund.reference)
    PatientRefund.objects.filter(pk=refund.pk, gateway_refund_id__in=replaceable).update(
        gateway_refund_id=gateway_refund_id
    )


@transaction.atomic
def patient_refund_processed(
    *,
    refund: PatientRefund,
    reason: str,
    actor: User | None = None,
    event_reference: str = "",
    bank_reference: str = "",
) -> None:
    """The money went back: the payment's refunded amount, its status, the bill and the ledger follow, once.
    A refund's outcome is the gateway's (or the counter's) report: one contrary to what it said
    before (processed after failed) is recorded as ignored for a person, not raised."""
    record = transition_reported(instance=refund, to="processed", reason=reason, actor=actor,
                        event_reference=event_reference or f"refund:{refund.reference}")  # fmt: skip
    if not record.applied:
        return
    attention = _attention_clear(refund)
    PatientRefund.objects.filter(pk=refund.pk).update(
        processed_at=timezone.now(), **({"bank_reference": bank_reference} if bank_reference else {})
    )
    payment = locks.lock_row(PatientPayment, pk=refund.payment_id)
    payment.amount_refunded += refund.amount
    payment.save(update_fields=["amount_refunded", "updated_at"])
    target = "refunded" if payment.amount_refunded >= payment.amount else "partially_refunded"
    if payment.status != target:
        transition(instance=payment, to=target, reason=f"Refund {refund.reference} processed", actor=actor,
                   event_reference=event_reference or f"refund:{refund.reference}")  # fmt: skip
    bill_paid_amount_refresh(bill_id=payment.bill_id)
    refund_processed_post(refund=refund, payment=payment, amount=refund.amount)
    audit_entry_record(action="patient_refund.processed", actor=actor, target=refund,
                       changes={"status": {"from": "pending", "to": "processed"}, **attention})  # fmt: skip


@transaction.atomic
def patient_refund_failed(
    *, refund: PatientRefund, reason: str, actor: User | None = None, event_reference: str = "",
    failure_code: str = "", failure_reason: str = "",
) -> None:  # fmt: skip
    """The gateway did not refund: the payment, the bill and the ledger stay as they were (and a
    late failure after processed is recorded as ignored, as in patient_refund_processed)."""
    record = transition_reported(instance=refund, to="failed", reason=reason, actor=actor,
                        event_reference=event_reference or f"refund:{refund.reference}")  # fmt: skip
    if record.applied:
        attention = _attention_clear(refund)
        PatientRefund.objects.filter(pk=refund.pk).update(
            failure_code=failure_code[:100], failure_reason=(failure_reason or reason)[:500]
        )
        audit_entry_record(action="patient_refund.failed", actor=actor, target=refund,
                           changes={"status": {"from": "pending", "to": "failed"}, **attention}, message=reason)  # fmt: skip


def _attention_clear(refund: PatientRefund) -> dict:
    """A resolved refund needs no one any more (services/gateway_refunds_overdue.py): its
    mark goes, and the audit entry of its outcome says so. Under the refund's row lock (the
    transition just applied)."""
    marked = PatientRefund.objects.filter(pk=refund.pk, attention_since__isnull=False)
    reasons = list(marked.values_list("attention_reason", flat=True))
    if not reasons:
        return {}
    marked.update(attention_reason=None, attention_since=None, status_next_ask_at=None)
    refund.attention_reason = refund.attention_since = refund.status_next_ask_at = None
    return {"attention": {"from": reasons[0], "to": None}}
