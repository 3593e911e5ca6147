"""Checkout: a gateway order for (part of) a bill, then the browser's signed callback.

Record first, then call out (DESIGN decision 5): the payment row is committed before the
gateway is asked for an order, so an order whose answer is lost is still ours to resolve.
The callback only says which payment to ask about; its signature must verify, and what
counts is what the gateway then says the payment is (fetched, and captured if only
authorized).
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from django.db import transaction

from skinspire.collections import selectors
from skinspire.collections.models import Bill, PatientPayment, PaymentCategory
from skinspire.collections.services.events import patient_payment_settle_from_gateway
from skinspire.collections.services.open_amount import amount_not_requested
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, NotFoundError
from skinspire.core.models import User
from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.manager import run_with_fallback, select_configurations
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    Customer,
    OrderRequest,
    OrderResult,
    PaymentProvider,
)
from skinspire.gateways.providers.registry import provider_for


@dataclass(frozen=True)
class CheckoutOrder:
    payment: PatientPayment
    order: OrderResult


class CheckoutSignatureError(ApplicationError):
    """The callback's signature does not verify: refused, recorded, nothing captured."""


def patient_payment_order_create(
    *,
    actor: User | None,
    bill: Bill,
    amount: Decimal | str | None = None,
    provider: str | None = None,
    callback_url_for: Callable[[PatientPayment], str] | None = None,
    cancel_url_for: Callable[[PatientPayment], str] | None = None,
) -> CheckoutOrder:
    """`callback_url_for(payment)`: where the gateway's page sends the patient's browser back
    (our checkout return page, which needs the payment's reference), if anywhere;
    `cancel_url_for(payment)`: where it sends a patient who gives up."""
    payment = _payment_record(actor=actor, bill=bill, amount=amount, provider=provider)
    urls = {
        "callback_url": callback_url_for(payment) if callback_url_for else "",
        "cancel_url": cancel_url_for(payment) if cancel_url_for else "",
    }

    def create(gateway: PaymentProvider, configuration: GatewayConfiguration) -> OrderResult:
        if configuration.pk != payment.configuration_id:  # a fallback: say where the order is now
            payment.configuration, payment.source = configuration, configuration.provider
            payment.save(update_fields=["configuration", "source", "updated_at"])
        return gateway.create_order(_order_request(payment=payment, **urls))

    try:
        order, _ = run_with_fallback(
            hospital=payment.hospital,
            branch=payment.branch,
            capability=Capability.COLLECTIONS,
            provider=provider,
            operation=create,
            allow_fallback=True,
        )
    except GatewayError as error:
        if error.provably_failed:
            fail_payment(
                payment=payment, reason=f"The gateway refused the order: {error.message}", actor=actor
            )
        raise
    payment.gateway_order_id = order.gateway_order_id
    payment.save(update_fields=["gateway_order_id", "updated_at"])
    return CheckoutOrder(payment=payment, order=order)


@transaction.atomic
def _payment_record(*, actor, bill: Bill, amount, provider: str | None) -> PatientPayment:
    # Under the bill's lock, as a link's create: the open links and the orders being paid count.
    locked = locks.lock_row(Bill, pk=bill.pk)
    wanted = amount_not_requested(bill=locked, amount=amount)
    configuration = select_configurations(
        hospital=locked.hospital, branch=locked.branch, capability=Capability.COLLECTIONS, provider=provider
    )[0]
    return PatientPayment.objects.create(
        hospital_id=locked.hospital_id,
        branch_id=locked.branch_id,
        bill=locked,
        amount=wanted,
        category=PaymentCategory.GATEWAY,
        source=configuration.provider,
        configuration=configuration,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _order_request(*, payment: PatientPayment, callback_url: str, cancel_url: str) -> OrderRequest:
    patient = payment.bill.patient
    return OrderRequest(
        amount=payment.amount,
        receipt=payment.reference,
        customer=Customer(
            name=patient.name, email=patient.email, phone=patient.phone, customer_id=patient.patient_number
        ),
        callback_url=callback_url,
        cancel_url=cancel_url,
        merchant_name=str(payment.hospital)[:100],
        description=f"Bill {payment.bill.number}"[:255],
        notes={"bill": payment.bill.number, "payment": payment.reference},
    )


def fail_payment(*, payment: PatientPayment, reason: str, actor=None, event_reference: str = "") -> None:
    """The payment failed; its reason is written only with the move: a payment the gateway
    captured meanwhile (the late failure is ignored) keeps no failure reason, and one already
    failed keeps the reason it failed for."""
    with transaction.atomic():
        record = transition(
            instance=payment,
            to="failed",
            reason=reason[:1000],
            actor=actor if actor is not None and actor.is_authenticated else None,
            event_reference=event_reference or f"order:{payment.reference}",
        )
        if record.applied:
            payment.failure_reason = reason[:500]
            payment.save(update_fields=["failure_reason", "updated_at"])


def patient_payment_checkout_verify(
    *,
    payment: PatientPayment,
    gateway_order_id: str,
    gateway_payment_id: str,
    signature: str,
    callback_fields: dict[str, Any] | None = None,
) -> PatientPayment:
    """Verify the checkout callback, then apply what the gateway says the payment is."""
    gateway = provider_for(payment.configuration)
    verification = _verification(
        gateway_order_id=gateway_order_id,
        gateway_payment_id=gateway_payment_id,
        signature=signature,
        callback_fields=callback_fields,
    )
    if not _verifies(payment=payment, gateway=gateway, verification=verification):
        _refuse(payment=payment, gateway_order_id=gateway_order_id, gateway_payment_id=gateway_payment_id)
    patient_payment_settle_from_gateway(
        payment=payment,
        gateway=gateway,
        gateway_payment_id=gateway_payment_id,
        reason="Checkout verified",
        event_reference=f"verify:{payment.source}:{gateway_payment_id or gateway_order_id}"[:200],
    )
    payment.refresh_from_db()
    return payment


def patient_payment_checkout_callback(
    *,
    payment_id: int,
    gateway_order_id: str,
    gateway_payment_id: str,
    signature: str,
    callback_fields: dict[str, Any] | None = None,
) -> PatientPayment:
    """The verify endpoint's callback, which names its payment by id. An id that names no
    checkout payment is refused with the answer a bad signature on a real one gets, after the
    same work (`_refuse_unknown`): ids are sequential, and an answer, or a time, that differed
    would tell anyone counting through them which payments exist."""
    try:
        payment = selectors.patient_payment_for_checkout(payment_id=payment_id)
    except NotFoundError:
        _refuse_unknown(
            payment_id=payment_id, gateway_order_id=gateway_order_id,
            gateway_payment_id=gateway_payment_id, signature=signature,
        )  # fmt: skip
    return patient_payment_checkout_verify(
        payment=payment,
        gateway_order_id=gateway_order_id,
        gateway_payment_id=gateway_payment_id,
        signature=signature,
        callback_fields=callback_fields,
    )


# Where each gateway's browser callback carries the payment id and the signature (Razorpay's
# checkout handler and callback_url POST; Paytm's callback form, verified as a whole).
CALLBACK_PAYMENT_ID_FIELDS = ("razorpay_payment_id", "TXNID")
CALLBACK_SIGNATURE_FIELDS = ("razorpay_signature", "CHECKSUMHASH")
CALLBACK_ORDER_ID_FIELDS = ("razorpay_order_id", "ORDERID")
# Razorpay's callback for a failed payment carries error[...] fields and no signature
# (razorpay.com/docs/payments/payment-gateway/callback-url); Paytm signs its failures.
CALLBACK_ERROR_FIELDS = ("error[description]", "error[code]")


def checkout_failure_reported(form: dict[str, str]) -> bool:
    """The gateway's unsigned word that the attempt failed. It is never trusted to move a
    payment, and its text is not shown either: anyone can post it to our return page."""
    if any(form.get(name) for name in CALLBACK_SIGNATURE_FIELDS):
        return False
    return any(form.get(name) for name in CALLBACK_ERROR_FIELDS)


def patient_payment_checkout_return(*, payment: PatientPayment, form: dict[str, str]) -> PatientPayment:
    """The gateway's page POSTed the patient's browser back to us with its signed fields."""
    return patient_payment_checkout_verify(payment=payment, **_return_fields(payment=payment, form=form))


def checkout_return_verifies(*, payment: PatientPayment, form: dict[str, str]) -> bool:
    """Whether the return's signature verifies, acting on nothing: the return page asks first to
    pick its rate limit (collections.return_limits), then patient_payment_checkout_return
    verifies again and acts."""
    verification = _verification(**_return_fields(payment=payment, form=form))
    return _verifies(payment=payment, gateway=provider_for(payment.configuration), verification=verification)


def callback_signature(form: dict[str, str]) -> str:
    """The signature a return carries, as its verification reads it."""
    return next((form[name] for name in CALLBACK_SIGNATURE_FIELDS if form.get(name)), "")


def _return_fields(*, payment: PatientPayment, form: dict[str, str]) -> dict[str, Any]:
    return {
        "gateway_order_id": payment.gateway_order_id,
        "gateway_payment_id": next((form[name] for name in CALLBACK_PAYMENT_ID_FIELDS if form.get(name)), ""),
        "signature": callback_signature(form),
        "callback_fields": form,
    }


def _verification(
    *, gateway_order_id: str, gateway_payment_id: str, signature: str, callback_fields: dict[str, Any] | None
) -> CheckoutVerification:
    return CheckoutVerification(
        gateway_order_id=gateway_order_id,
        gateway_payment_id=gateway_payment_id,
        signature=signature,
        extra={str(key): str(value) for key, value in (callback_fields or {}).items()},
    )


def _verifies(
    *, payment: PatientPayment, gateway: PaymentProvider, verification: CheckoutVerification
) -> bool:
    # The signature is checked whatever the order id says, so a refusal always costs one check.
    signed = gateway.verify_checkout(verification)
    return signed and verification.gateway_order_id == payment.gateway_order_id


def _refuse(*, payment: PatientPayment, gateway_order_id: str, gateway_payment_id: str) -> None:
    # Its own transaction, committed before the refusal is raised: the attempt stays on record.
    with transaction.atomic():
        audit_entry_record(
            action="patient_payment.verify_refused",
            target=payment,
            changes={
                "gateway_order_id": {"from": payment.gateway_order_id, "to": gateway_order_id[:100]},
                "gateway_payment_id": {"from": payment.gateway_payment_id, "to": gateway_payment_id[:100]},
            },
            message="The checkout callback's signature did not verify; nothing was captured.",
        )
    raise checkout_refusal(payment_id=payment.pk)


# What a callback naming no checkout payment is checked against: a key of this process, so
# that its refusal computes a signature as a real payment's refusal does.
_STAND_IN_KEY = secrets.token_bytes(32)


def _refuse_unknown(
    *, payment_id: int, gateway_order_id: str, gateway_payment_id: str, signature: str
) -> NoReturn:
    """A real payment's refusal step for step, for an id that names none: a configuration read
    (provider_for reads its credentials), a constant-time signature check, an audit entry in
    its own transaction (the global chain's: there is no hospital), then the same answer."""
    GatewayConfiguration.objects.filter(pk=0).first()
    expected = hmac.new(_STAND_IN_KEY, f"{gateway_order_id}|{gateway_payment_id}".encode(), hashlib.sha256)
    hmac.compare_digest(expected.hexdigest().encode(), signature.encode())
    with transaction.atomic():
        audit_entry_record(
            action="patient_payment.verify_unknown",
            changes={
                "gateway_order_id": {"from": None, "to": gateway_order_id[:100]},
                "gateway_payment_id": {"from": None, "to": gateway_payment_id[:100]},
            },
            message=f"A checkout callback named payment id {payment_id}, which is no checkout payment; nothing was captured.",
        )
    raise checkout_refusal(payment_id=payment_id)


def checkout_refusal(*, payment_id: int) -> CheckoutSignatureError:
    """The one answer to a callback that is not accepted, for a payment id that names no
    checkout too: ids are sequential, and a 404 beside a 400 told anyone counting through them
    which payments exist."""
    return CheckoutSignatureError(
        "The payment's signature does not match, so it was not accepted. If money left your "
        "account, it will be confirmed by the gateway or returned; please contact the hospital.",
        {"payment_id": payment_id},
    )
