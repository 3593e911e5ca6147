"""Releasing a checkout order the patient will not finish (Pay online abandoned at the counter).

An order being paid counts against its bill for the checkout hold (services/open_amount.py),
so an abandoned one blocked a new Pay online or link for up to 15 minutes. Staff release it:
the gateway is asked first, so an order the patient did pay is recorded instead, and one the
gateway cannot say anything about is not released (releasing blind could ask the patient for
money already paid). Released, the payment moves to failed (code "released"), which stops it
counting at once. `failed` ranks below `captured`, so money that still arrives on the order
(Razorpay orders cannot be cancelled) lands through the webhook or the status sync as any
late capture does, and a bill already covered shows the excess to refund (services/overpaid.py).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PaymentCategory
from skinspire.collections.models.payments import RECEIVED_STATUSES
from skinspire.collections.services.outcomes import patient_payment_apply_result
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import User
from skinspire.core.money import format_inr
from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayError, GatewayNotFoundError
from skinspire.gateways.providers.interface import PaymentResult, PaymentStatus
from skinspire.gateways.providers.registry import provider_for

RELEASED_CODE = "released"
UNFINISHED_STATUSES = ("pending", "authorized")
PAID = {PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED, PaymentStatus.REFUNDED}
IN_PROGRESS = {PaymentStatus.CREATED, PaymentStatus.PENDING}
REASON_MAX = 300


class ReleaseUnansweredError(ApplicationError):
    """The gateway could not say whether the patient paid: nothing is released."""

    status_code = 502


@dataclass(frozen=True)
class ReleaseOutcome:
    payment: PatientPayment
    released: bool  # False: the gateway said the patient paid, and that is recorded instead
    message: str


def checkout_order_releasable(payment: PatientPayment) -> bool:
    """A checkout order (not a link's payment) still counting as being paid."""
    return (
        payment.category == PaymentCategory.GATEWAY
        and payment.payment_link_id is None
        and payment.status in UNFINISHED_STATUSES
    )


def patient_payment_checkout_release(*, payment: PatientPayment, actor: User, reason: str) -> ReleaseOutcome:
    """Ask the gateway about the order, then record its payment or release it (see the module)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ApplicationError("Say why the online payment is released (for the audit log).", {"reason": ""})
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"Keep the reason within {REASON_MAX} characters.", {"reason": reason[:40]})
    if not checkout_order_releasable(payment):
        raise ConflictError(
            f"Payment {payment.reference} is not an online payment being made "
            f"({payment.get_status_display().lower()}), so there is nothing to release.",
            {"payment_id": payment.pk, "status": payment.status},
        )
    result = _gateway_answer(payment)
    if result is not None and result.status in PAID:
        return _recorded(payment=payment, result=result, actor=actor)
    if result is not None and result.status in IN_PROGRESS:
        raise ConflictError(
            f"The gateway shows a payment on {payment.reference} still in progress, so it was not released. "
            "Let the patient finish, or ask again in a few minutes.",
            {"payment_id": payment.pk, "gateway_status": result.gateway_status},
        )
    return _release(payment=payment, actor=actor, reason=reason, result=result)


def _gateway_answer(payment: PatientPayment) -> PaymentResult | None:
    """What the gateway holds for the order; None when nothing was paid on it (no order at all:
    its create never reached the gateway)."""
    gateway = provider_for(payment.configuration)
    try:
        order_id = payment.gateway_order_id or _order_id_found(payment=payment, gateway=gateway)
        return gateway.fetch_payment(gateway_order_id=order_id)
    except GatewayNotFoundError:
        return None
    except GatewayError as error:
        raise ReleaseUnansweredError(
            f"The gateway could not say whether the patient paid {payment.reference} ({error.message}), "
            "so it was not released: releasing it blind could ask the patient to pay twice. "
            "Try again in a minute.",
            {"payment_id": payment.pk},
        ) from error


def _order_id_found(*, payment: PatientPayment, gateway) -> str:
    """A payment whose create-order answer was lost: its order by our reference, recorded as
    the status sync's recovery does (services/order_recovery.py); GatewayNotFoundError: none."""
    order = gateway.find_order(receipt=payment.reference)
    PatientPayment.objects.filter(pk=payment.pk, gateway_order_id="").update(
        gateway_order_id=order.gateway_order_id, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment.gateway_order_id


def _recorded(*, payment: PatientPayment, result: PaymentResult, actor: User) -> ReleaseOutcome:
    gateway = provider_for(payment.configuration)
    if result.status == PaymentStatus.AUTHORIZED:
        result = gateway.capture_payment(result.gateway_payment_id, result.amount)
    patient_payment_apply_result(
        payment=payment,
        result=result,
        reason=f"Release asked by {actor.get_username()}; the gateway says it was paid",
        event_reference=f"release:{payment.reference}",
    )
    payment.refresh_from_db()
    return ReleaseOutcome(
        payment=payment,
        released=False,
        message=f"The patient has paid {format_inr(payment.amount)} on {payment.reference}; "
        "it is recorded, not released.",
    )


def _release(
    *, payment: PatientPayment, actor: User, reason: str, result: PaymentResult | None
) -> ReleaseOutcome:
    said = "a failed attempt" if result is not None else "no payment"
    with transaction.atomic():
        # The payment's row lock (taken by transition): a capture arriving meanwhile either
        # lands first (then this move is stale and ignored) or waits and lands after it.
        record = transition(
            instance=payment,
            to="failed",
            reason=f"Released at the counter: {reason}",
            actor=actor,
            event_reference=f"release:{payment.reference}",
        )
        if record.applied:
            payment.failure_code = RELEASED_CODE
            payment.failure_reason = f"Released by {actor.get_username()}: {reason}"[:500]
            payment.save(update_fields=["failure_code", "failure_reason", "updated_at"])
            audit_entry_record(
                action="patient_payment.checkout_released",
                actor=actor,
                target=payment,
                changes={"status": {"from": record.from_state, "to": "failed"}},
                message=f"Online payment {payment.reference} ({format_inr(payment.amount)}) released: "
                f"{reason}. The gateway showed {said} on order {payment.gateway_order_id or '(none)'}.",
            )
    if record.applied:
        return ReleaseOutcome(
            payment=payment,
            released=True,
            message=f"Online payment {payment.reference} released: {format_inr(payment.amount)} of bill "
            f"{payment.bill.number} may be asked for again. If the patient still pays it, "
            "the money is recorded and any excess shown for a refund.",
        )
    if payment.status in RECEIVED_STATUSES:
        return ReleaseOutcome(
            payment=payment,
            released=False,
            message=f"The patient's payment on {payment.reference} arrived meanwhile; it is recorded, not released.",
        )
    raise ConflictError(
        f"Payment {payment.reference} is no longer being made ({payment.get_status_display().lower()}); "
        "nothing to release.",
        {"payment_id": payment.pk, "status": payment.status},
    )
