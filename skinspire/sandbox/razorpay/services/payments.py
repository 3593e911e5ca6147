"""Payments: the checkout's authorisation, capture (reference §3.2).

A payment is born on the hosted checkout or link page (there is no server-side create, as
on Razorpay), moves authorized → captured, or is failed. Capturing fills `fee`/`tax` and
marks the day it counts towards the next T+1 settlement.
"""

from dataclasses import dataclass

from django.db import transaction

from skinspire.sandbox.ids import digits_new, object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import fees, magic, validation
from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error, today_iso
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

METHODS = {"upi", "card", "netbanking"}
CAPTURE_FIELDS = frozenset({"amount", "currency"})  # https://razorpay.com/docs/api/payments/capture/
NETBANKING_BANK = "HDFC"


@dataclass(frozen=True)
class CheckoutChoice:
    """What the patient did on the hosted page."""

    method: str
    succeed: bool
    vpa: str = ""
    email: str = "void@razorpay.com"  # what Razorpay records when no e-mail is collected
    contact: str = "+919000090000"
    description: str | None = None
    amount: int | None = None  # paise; None = the whole amount due (only links take less)


def payment_checkout(*, merchant: SandboxMerchant, order_id: str, choice: CheckoutChoice) -> SandboxObject:
    """One attempt at paying an order, as the hosted checkout makes it."""
    if choice.method not in METHODS:
        raise invalid_field("Invalid payment method", field="method")
    with transaction.atomic():
        order = object_or_error(merchant=merchant, entity="order", object_id=order_id, for_update=True)
        if order.body["status"] == "paid":
            raise RazorpayApiError("Order has already been paid", field="order_id")
        amount = _amount_to_pay(order=order.body, choice=choice)
        order.body["attempts"] += 1
        if order.body["status"] == "created":
            order.body["status"] = "attempted"
        sandbox_object_save(sandbox_object=order)
        succeed = choice.succeed and choice.vpa != magic.CHECKOUT_VPA_FAILURE
        payment = sandbox_object_create(
            merchant=merchant,
            entity="payment",
            body=_payment_body(order=order.body, choice=choice, succeed=succeed, amount=amount),
            parent_id=order.object_id,
        )
        event = "payment.authorized" if succeed else "payment.failed"
        event_emit(
            merchant=merchant, event=event, entities={"payment": payment.body}, object_id=payment.object_id
        )
        if succeed and order.meta.get("auto_capture", True):
            payment_capture_apply(payment=payment, order=order)
    return payment


def _amount_to_pay(*, order: dict, choice: CheckoutChoice) -> int:
    if choice.amount is None:
        return order["amount_due"]
    if choice.amount < validation.MINIMUM_AMOUNT_PAISE:
        raise invalid_field("The amount must be at least INR 1.00", field="amount")
    if choice.amount > order["amount_due"]:
        raise invalid_field("The amount may not be greater than the amount due.", field="amount")
    return choice.amount


def _payment_body(*, order: dict, choice: CheckoutChoice, succeed: bool, amount: int) -> dict:
    body = {
        "id": object_id_new(prefix="pay"),
        "entity": "payment",
        "amount": amount,
        "currency": order["currency"],
        "status": "authorized" if succeed else "failed",
        "order_id": order["id"],
        "invoice_id": None,
        "international": False,
        "method": choice.method,
        "amount_refunded": 0,
        "refund_status": None,
        "captured": False,
        "description": choice.description,
        "card_id": None,
        "bank": NETBANKING_BANK if choice.method == "netbanking" else None,
        "wallet": None,
        "vpa": (choice.vpa or None) if choice.method == "upi" else None,
        "email": choice.email,
        "contact": choice.contact,
        "notes": order["notes"],
        "fee": None,
        "tax": None,
        "error_code": None,
        "error_description": None,
        "error_source": None,
        "error_step": None,
        "error_reason": None,
        "acquirer_data": {"rrn": digits_new(length=12)} if choice.method == "upi" else {},
        "created_at": now_unix(),
    }
    if not succeed:
        body.update(
            error_code="BAD_REQUEST_ERROR",
            error_description="Payment failed",
            error_source="customer",
            error_step="payment_authorization",
            error_reason="payment_failed",
        )
    return body


def payment_capture(*, merchant: SandboxMerchant, payment_id: str, data: dict) -> SandboxObject:
    """POST /v1/payments/:id/capture — only from authorized, for exactly the amount."""
    validation.fields_allowed(data, CAPTURE_FIELDS)
    amount = validation.amount_required(data)
    validation.currency_inr(data)
    with transaction.atomic():
        payment = object_or_error(merchant=merchant, entity="payment", object_id=payment_id, for_update=True)
        if payment.body["status"] == "captured":
            raise RazorpayApiError("This payment has already been captured")
        if payment.body["status"] != "authorized":
            raise RazorpayApiError(
                "Only payments which have been authorized and not yet captured can be captured"
            )
        if amount != payment.body["amount"]:
            raise invalid_field("Capture amount must be equal to the amount authorized", field="amount")
        order = object_or_error(
            merchant=merchant, entity="order", object_id=payment.parent_id, for_update=True
        )
        payment_capture_apply(payment=payment, order=order)
    return payment


def payment_capture_apply(*, payment: SandboxObject, order: SandboxObject) -> None:
    """authorized → captured; the order becomes paid. Caller holds both rows locked."""
    fee, tax = fees.collection_fee(amount_paise=payment.body["amount"])
    payment.body.update(status="captured", captured=True, fee=fee, tax=tax)
    payment.meta["ledger_date"] = today_iso()
    sandbox_object_save(sandbox_object=payment)
    order.body["amount_paid"] += payment.body["amount"]
    order.body["amount_due"] = order.body["amount"] - order.body["amount_paid"]
    if order.body["amount_due"] <= 0:
        order.body["status"] = "paid"
    sandbox_object_save(sandbox_object=order)
    merchant = payment.merchant
    event_emit(
        merchant=merchant,
        event="payment.captured",
        entities={"payment": payment.body},
        object_id=payment.object_id,
    )
    if order.body["status"] == "paid":
        event_emit(
            merchant=merchant,
            event="order.paid",
            entities={"payment": payment.body, "order": order.body},
            object_id=order.object_id,
        )
