"""What gateways tell us afterwards: webhooks and settlements."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class GatewayEvent:
    """A verified webhook, normalised. `object_type` is payout/payment/order/payment_link/refund/settlement.

    `object_id` is the gateway's id of the object, the same id the matching result's
    `gateway_*_id` carries; `reference_id` is ours as echoed by the gateway.

    - payout: Razorpay pout_... / reference_id; Paytm result.paytmOrderId (orderId until
      Paytm has given one) / result.orderId.
    - payment: Razorpay pay_...; Paytm ORDERID / ORDERID. Paytm PG's order id IS our
      orderId and a payment is looked up by it (PaymentResult.gateway_order_id); its
      TXNID is in `gateway_payment_id`.
    - order: Razorpay order_... / receipt.
    - payment_link: Razorpay plink_... / reference_id; Paytm the link id (MERC_UNQ_REF
      "LI_<linkId>") / ORDERID.
    - payout_link: Razorpay poutlk_... / receipt; `gateway_payout_id` is the payout the
      recipient's claim made (empty until they claim it).
    - refund: Razorpay rfnd_... / receipt; Paytm refundId (refId until Paytm has given
      one, as RefundResult.gateway_refund_id) / refId.

    `event_id` is the dedupe key and never changes meaning: Razorpay's X-Razorpay-Event-Id;
    Paytm's (which sends none) is built from signed content keyed on OUR order/refund id.
    """

    provider: str
    event_id: str
    event_type: str
    object_type: str
    object_id: str
    status: str  # the provider's status word for the object
    amount: Decimal | None = None
    reference_id: str = ""  # our reference as echoed by the gateway (reference_id, orderId, receipt)
    utr: str = ""
    fee: Decimal | None = None
    tax: Decimal | None = None
    failure_reason: str = ""  # human-readable (module docstring)
    failure_code: str = ""  # the gateway's machine code (module docstring)
    waiting_reason: str = ""  # why a payout in flight is held (PayoutResult.waiting_reason)
    waiting_code: str = ""
    occurred_at: datetime | None = None  # by the gateway's clock; None if it gave no time
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    # An answer we asked for (the inbox's status sync), not a word the gateway sent: it is
    # what the gateway holds now, and `occurred_at` is only the latest time the fetched
    # object carries (its creation, for a RazorpayX payout), never our clock.
    fetched: bool = False
    # Related gateway objects, so handlers need not dig in `raw`: the order a payment or
    # link belongs to, the payment a refund or order.paid/payment_link.paid event is about.
    gateway_order_id: str = ""
    gateway_payment_id: str = ""
    gateway_payout_id: str = ""


@dataclass(frozen=True)
class SettlementLine:
    """One transaction inside a settlement (Razorpay recon item, Paytm settlement row)."""

    settlement_id: str
    settlement_utr: str
    entity_id: str  # pay_/rfnd_/... or Paytm txnId
    entity_type: str  # payment, refund, adjustment, transfer
    order_id: str
    reference: str  # our receipt / orderId
    amount: Decimal
    fee: Decimal
    tax: Decimal
    credit: Decimal
    debit: Decimal
    settled_at: datetime | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    # When the transaction itself happened (Razorpay created_at, Paytm txnDate), and the
    # merchant's notes as text: reconciliation matches on them (a fuzzy date window, the
    # reference as a tie-breaker).
    transacted_at: datetime | None = None
    notes: str = ""


@dataclass(frozen=True)
class Settlement:
    settlement_id: str
    amount: Decimal
    status: str
    fees: Decimal
    tax: Decimal
    utr: str
    created_at: datetime | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
