"""Incoming money: orders, checkout, payments, payment links and refunds."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from skinspire.gateways.providers.interface.parties import Customer
from skinspire.gateways.providers.interface.statuses import (
    LinkStatus,
    OrderStatus,
    PaymentStatus,
    RefundStatus,
)


@dataclass(frozen=True)
class OrderRequest:
    amount: Decimal
    receipt: str  # our unique reference (Razorpay receipt, Paytm orderId)
    customer: Customer
    callback_url: str = ""  # where the gateway's page POSTs the signed result (the browser)
    cancel_url: str = ""  # where it sends a patient who gives up (Razorpay Hosted Checkout)
    merchant_name: str = ""  # shown on the gateway's page (the hospital)
    description: str = ""  # likewise (the bill)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderResult:
    gateway_order_id: str
    amount: Decimal
    status: OrderStatus
    gateway_status: str
    # What the browser needs: always `checkout_url` and `checkout_fields`, the form our
    # hand-over page POSTs to the gateway's hosted page (collections/handover.py); the rest
    # (key_id, mid, txn_token...) for a client that builds its own page.
    checkout: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class CheckoutVerification:
    gateway_order_id: str
    gateway_payment_id: str
    signature: str
    extra: dict[str, str] = field(default_factory=dict)  # Paytm: the whole callback form


@dataclass(frozen=True)
class PaymentResult:
    gateway_payment_id: str
    gateway_order_id: str
    status: PaymentStatus
    gateway_status: str
    amount: Decimal
    method: str = ""
    fee: Decimal | None = None
    tax: Decimal | None = None
    amount_refunded: Decimal = Decimal("0.00")
    failure_reason: str = ""  # human-readable (module docstring)
    failure_code: str = ""  # machine code: Razorpay error_reason/error_code, Paytm RESPCODE/resultCode
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class PaymentLinkRequest:
    amount: Decimal
    reference_id: str
    customer: Customer
    description: str
    expire_by: datetime | None = None
    notify_email: bool = False
    notify_sms: bool = False
    callback_url: str = ""
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentLinkResult:
    gateway_link_id: str
    url: str
    status: LinkStatus
    gateway_status: str
    amount: Decimal
    amount_paid: Decimal = Decimal("0.00")
    expire_by: datetime | None = None
    payment_ids: tuple[str, ...] = ()
    # The order id of each of payment_ids, where the gateway looks a payment up by its order
    # (Paytm: a link payment is an order of its own); empty where the payment id suffices.
    payment_order_ids: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class RefundRequest:
    gateway_payment_id: str
    gateway_order_id: str  # Paytm needs the order id too
    refund_reference: str  # our unique id (Razorpay receipt + idempotency, Paytm refId)
    amount: Decimal | None = None  # None = full refund
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    """`gateway_refund_id` is the gateway's id (Razorpay rfnd_..., Paytm refundId; Paytm's
    refId is ours, in `refund_reference`, and stands in only until Paytm has a refundId)."""

    gateway_refund_id: str
    gateway_payment_id: str
    status: RefundStatus
    gateway_status: str
    amount: Decimal
    refund_reference: str = ""
    failure_reason: str = ""  # human-readable (module docstring)
    failure_code: str = ""  # machine code: Paytm rejectRefundReasonCode/resultCode
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
