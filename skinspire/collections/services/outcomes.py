"""Applying what a gateway says a payment is (a fetched PaymentResult, a webhook's
GatewayEvent) to our PatientPayment. Forward only: the transition table ignores repeats
and late arrivals, so a verify callback and a webhook reaching the same end state apply once.
"""

from decimal import Decimal

from django.db import transaction

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.payments import patient_payment_capture
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.money import format_inr
from skinspire.core.transitions import transition
from skinspire.gateways.providers.interface import PaymentResult, PaymentStatus

RECEIVED = {PaymentStatus.CAPTURED, PaymentStatus.REFUNDED}


def patient_payment_outcome_apply(
    *,
    payment: PatientPayment,
    status: str,
    amount: Decimal | None,
    reason: str,
    event_reference: str,
    gateway_payment_id: str = "",
    method: str = "",
    bank_transaction_id: str = "",
    fee: Decimal | None = None,
    tax: Decimal | None = None,
    failure_code: str = "",
    failure_reason: str = "",
) -> None:
    """Move `payment` as the gateway's normalised payment `status` says; nothing for created/pending."""
    if status in RECEIVED and amount is not None and amount != payment.amount:
        _amount_mismatch(payment=payment, amount=amount, event_reference=event_reference)
    with transaction.atomic():
        _apply(payment=payment, status=status, reason=reason, event_reference=event_reference,
               gateway_payment_id=gateway_payment_id, method=method, bank_transaction_id=bank_transaction_id,
               fee=fee, tax=tax, failure_code=failure_code, failure_reason=failure_reason)  # fmt: skip


def _apply(*, payment, status, reason, event_reference, gateway_payment_id, method, bank_transaction_id, fee, tax,
           failure_code, failure_reason) -> None:  # fmt: skip
    if status in RECEIVED:
        patient_payment_capture(
            payment=payment,
            reason=reason,
            event_reference=event_reference,
            gateway_payment_id=gateway_payment_id,
            method=method,
            bank_transaction_id=bank_transaction_id,
            fee=fee,
            tax=tax,
        )
    elif status == PaymentStatus.AUTHORIZED:
        transition(instance=payment, to="authorized", reason=reason, event_reference=event_reference)
    elif status == PaymentStatus.FAILED:
        record = transition(instance=payment, to="failed", reason=reason, event_reference=event_reference)
        if record.applied:
            payment.failure_code, payment.failure_reason = failure_code[:100], failure_reason[:500]
            payment.save(update_fields=["failure_code", "failure_reason", "updated_at"])


def patient_payment_apply_result(
    *,
    payment: PatientPayment,
    result: PaymentResult,
    reason: str,
    event_reference: str,
    bank_transaction_id: str = "",
) -> None:
    patient_payment_outcome_apply(
        payment=payment,
        status=result.status,
        amount=result.amount,
        reason=reason,
        event_reference=event_reference,
        gateway_payment_id=result.gateway_payment_id,
        method=result.method.lower(),
        bank_transaction_id=bank_transaction_id,
        fee=result.fee,
        tax=result.tax,
        failure_code=result.failure_code,
        failure_reason=result.failure_reason,
    )


def _amount_mismatch(*, payment: PatientPayment, amount: Decimal, event_reference: str) -> None:
    with transaction.atomic():
        audit_entry_record(
            action="patient_payment.amount_mismatch",
            target=payment,
            changes={"amount": {"from": payment.amount, "to": amount}},
            message=f"The gateway reports another amount ({event_reference}); not applied, check it.",
        )
    raise ConflictError(
        f"The gateway reports {format_inr(amount)} for payment {payment.reference} of {format_inr(payment.amount)}; a person must check it.",
        {"payment_id": payment.pk},
    )
