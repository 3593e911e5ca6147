"""Orders: POST/GET /v1/orders (reference §3.1)."""

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import invalid_field
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.services import sandbox_object_create

# https://razorpay.com/docs/api/orders/create/ (+ payment_capture from the SDK's docstring).
ORDER_FIELDS = frozenset(
    {
        "amount",
        "currency",
        "receipt",
        "notes",
        "partial_payment",
        "first_payment_min_amount",
        "payment_capture",
    }
)


def order_create(*, merchant: SandboxMerchant, data: dict) -> SandboxObject:
    validation.fields_allowed(data, ORDER_FIELDS)
    amount = validation.amount_required(data)
    currency = validation.currency_inr(data)
    receipt = validation.string_optional(data, "receipt", max_length=40)
    notes = validation.notes_optional(data)
    partial_payment = validation.boolean_optional(data, "partial_payment", default=False)
    # payment_capture (SDK docstring): 1 = capture on authorisation. Default 1, as most
    # dashboards are set to auto-capture.
    auto_capture = validation.boolean_optional(data, "payment_capture", default=True)
    if data.get("first_payment_min_amount") is not None and not partial_payment:
        raise invalid_field(
            "first_payment_min_amount is allowed only when partial_payment is true",
            field="first_payment_min_amount",
        )
    return order_build(
        merchant=merchant,
        amount=amount,
        currency=currency,
        receipt=receipt,
        notes=notes,
        auto_capture=auto_capture,
        partial_payment=partial_payment,
    )


def order_build(
    *,
    merchant: SandboxMerchant,
    amount: int,
    currency: str = "INR",
    receipt: str | None = None,
    notes: dict | list | None = None,
    auto_capture: bool = True,
    partial_payment: bool = False,
) -> SandboxObject:
    body = {
        "id": object_id_new(prefix="order"),
        "entity": "order",
        "amount": amount,
        "amount_paid": 0,
        "amount_due": amount,
        "currency": currency,
        "receipt": receipt,
        "offer_id": None,
        "status": "created",
        "attempts": 0,
        "notes": notes if notes else [],
        "created_at": now_unix(),
    }
    if partial_payment:
        body["partial_payment"] = True
    return sandbox_object_create(
        merchant=merchant, entity="order", body=body, meta={"auto_capture": auto_capture}
    )
