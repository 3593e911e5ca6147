"""A bill that received more than it is for (two tabs paid at the same second, a link paid as
the counter took the rest): the money landed and is kept (docs/collections.md), and staff
refund the excess to the patient. What is still to refund, and from which payment, is worked
out here for the bill's page (a notice with the refund form filled in) and admin. Nothing is
refunded without a person's decision: which payment goes back, and how, is the hospital's."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from skinspire.collections.models import Bill, PatientPayment, PatientRefund
from skinspire.collections.services.refunds import REFUNDABLE_STATUSES, refundable_amount
from skinspire.core.money import format_inr

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OverpaidRefund:
    excess: Decimal  # received beyond the bill's amount (refunds processed already count)
    pending: Decimal  # refunds of the bill's payments on their way
    payment: PatientPayment | None  # the one to refund from: the latest received with room
    amount: Decimal  # what to refund from it now
    reason: str


def bill_overpaid_refund(*, bill: Bill) -> OverpaidRefund | None:
    """None when the bill received no more than it is for."""
    excess = bill.amount_paid - bill.amount
    if excess <= 0:
        return None
    pending = PatientRefund.objects.filter(payment__bill=bill, status="pending").aggregate(
        total=Sum("amount")
    )
    pending_total = pending["total"] or ZERO
    left = excess - pending_total
    payment, amount = None, ZERO
    if left > 0:
        received = bill.payments.filter(status__in=REFUNDABLE_STATUSES).order_by("-captured_at", "-id")
        for candidate in received:
            room = refundable_amount(payment=candidate)
            if room > 0:
                payment, amount = candidate, min(left, room)
                break
    reason = f"Bill {bill.number} was paid {format_inr(excess)} more than its {format_inr(bill.amount)}."
    return OverpaidRefund(excess=excess, pending=pending_total, payment=payment, amount=amount, reason=reason)


def refund_prefill(*, payment: PatientPayment, refundable: Decimal) -> dict[str, str]:
    """The refund form's amount and reason on a payment's page: the excess of its bill, when
    this payment is the one to refund it from; otherwise all that is refundable, no reason."""
    overpaid = bill_overpaid_refund(bill=payment.bill)
    if overpaid is not None and overpaid.payment is not None and overpaid.payment.pk == payment.pk:
        return {"amount": str(overpaid.amount), "reason": overpaid.reason}
    return {"amount": str(refundable), "reason": ""}
