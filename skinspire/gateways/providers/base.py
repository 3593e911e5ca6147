"""The one provider interface (django-payments' BaseProvider, Saleor's interface.py).

Providers take and return frozen dataclasses, never ORM objects or raw SDK dicts.
Amounts are Decimal rupees here; each provider converts to paise (or Paytm's strings) at
its own edge with skinspire.core.money. Statuses are normalised to the enums below; the
provider's own word is kept in `gateway_status` and the whole answer in `raw`.

Two fields mean the same thing for every gateway:

- Failures. `failure_reason` is the gateway's human-readable description (what staff
  read, e.g. "Payout failed as the beneficiary bank rejected the transaction.");
  `failure_code` is the gateway's machine code (what code branches on, e.g.
  `beneficiary_bank_rejected`, `DE_111`, `FRESH_REVERSAL`). When the gateway gives only a
  code, the reason repeats it, so staff always have something to read. Both are empty
  unless the object failed (or was reversed, cancelled, rejected).
- Identity. A result's `gateway_*_id` and a webhook's `object_id` are the GATEWAY's id of
  the object; `reference_id` / `refund_reference` / `receipt` are OURS. See WebhookEvent
  for what each provider's object ids are.
"""

import abc
import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from skinspire.gateways.errors import UnsupportedOperationError


class PayoutMode(enum.StrEnum):
    UPI = "upi"
    IMPS = "imps"
    NEFT = "neft"
    RTGS = "rtgs"


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"  # accepted by the gateway, waiting (approval, queued for balance)
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    REVERSED = "reversed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class PaymentStatus(enum.StrEnum):
    CREATED = "created"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"
    PENDING = "pending"


class OrderStatus(enum.StrEnum):
    CREATED = "created"
    ATTEMPTED = "attempted"
    PAID = "paid"
    FAILED = "failed"


class LinkStatus(enum.StrEnum):
    CREATED = "created"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class RefundStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"


# ---- parties and destinations -------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    name: str
    email: str = ""
    phone: str = ""
    customer_id: str = ""  # our id for the person (Paytm custId)


@dataclass(frozen=True)
class BankAccount:
    holder_name: str
    ifsc: str
    account_number: str


@dataclass(frozen=True)
class UpiAddress:
    holder_name: str
    vpa: str


Destination = BankAccount | UpiAddress


# ---- outgoing: payouts ----------------------------------------------------------------


@dataclass(frozen=True)
class ContactRequest:
    name: str
    reference_id: str
    email: str = ""
    phone: str = ""
    contact_type: str = "vendor"


@dataclass(frozen=True)
class ContactResult:
    contact_id: str
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class FundAccountRequest:
    contact_id: str
    destination: Destination


@dataclass(frozen=True)
class FundAccountResult:
    fund_account_id: str
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class PayoutRequest:
    amount: Decimal
    mode: PayoutMode
    idempotency_key: str  # minted once per payment, before the first call; reused on retry
    reference_id: str  # our payment reference (Paytm orderId, Razorpay reference_id)
    destination: Destination
    beneficiary: ContactRequest
    fund_account_id: str = ""  # Razorpay: reuse a fund account; empty = composite payout
    purpose: str = "vendor bill"
    narration: str = ""
    callback_url: str = ""
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PayoutResult:
    gateway_payout_id: str
    reference_id: str
    status: PayoutStatus
    gateway_status: str
    amount: Decimal
    fee: Decimal | None = None  # including tax
    tax: Decimal | None = None
    utr: str = ""
    failure_reason: str = ""  # human-readable (module docstring)
    failure_code: str = ""  # machine code: Razorpay status_details.reason, Paytm reversalReason/statusCode
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class PayoutLinkRequest:
    amount: Decimal
    reference_id: str
    contact: ContactRequest
    description: str
    purpose: str = "vendor bill"
    send_sms: bool = False
    send_email: bool = False
    expire_by: datetime | None = None
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PayoutLinkResult:
    gateway_link_id: str
    url: str
    status: str
    amount: Decimal
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


# ---- incoming: collections ---------------------------------------------------------------


@dataclass(frozen=True)
class OrderRequest:
    amount: Decimal
    receipt: str  # our unique reference (Razorpay receipt, Paytm orderId)
    customer: Customer
    callback_url: str = ""
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderResult:
    gateway_order_id: str
    amount: Decimal
    status: OrderStatus
    gateway_status: str
    checkout: dict[str, Any] = field(default_factory=dict)  # what the browser needs (key_id, txnToken, URL)
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


# ---- both: webhooks and settlements ----------------------------------------------------


@dataclass(frozen=True)
class WebhookEvent:
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
    occurred_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    # Related gateway objects, so handlers need not dig in `raw`: the order a payment or
    # link belongs to, the payment a refund or order.paid/payment_link.paid event is about.
    gateway_order_id: str = ""
    gateway_payment_id: str = ""


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


# ---- the interface -----------------------------------------------------------------------


class PaymentProvider(abc.ABC):
    """One gateway account. Built by the registry from a GatewayConfiguration's credentials.

    Every method either returns its result dataclass or raises a GatewayError subclass
    (skinspire.gateways.errors). An operation the provider has no API for raises
    UnsupportedOperationError; capabilities on the configuration keep callers away from it.
    """

    name: str = ""

    def __init__(self, *, configuration=None, credentials=None, session=None):
        # The registry (providers/registry.py) builds every provider with exactly these:
        # the GatewayConfiguration (secrets deferred), its decrypted GatewayCredentials and
        # a session from skinspire.gateways.http.new_session().
        self.configuration = configuration
        self.credentials = credentials
        self.session = session

    def _unsupported(self, operation: str):
        raise UnsupportedOperationError(
            f"{self.name} has no API for {operation}.", provider=self.name, operation=operation
        )

    # outgoing
    def create_contact(self, request: ContactRequest) -> ContactResult:
        self._unsupported("contacts")

    def create_fund_account(self, request: FundAccountRequest) -> FundAccountResult:
        self._unsupported("fund accounts")

    @abc.abstractmethod
    def create_payout(self, request: PayoutRequest) -> PayoutResult: ...

    @abc.abstractmethod
    def fetch_payout(self, *, gateway_payout_id: str = "", reference_id: str = "") -> PayoutResult: ...

    def cancel_payout(self, gateway_payout_id: str) -> PayoutResult:
        self._unsupported("cancelling payouts")

    def create_payout_link(self, request: PayoutLinkRequest) -> PayoutLinkResult:
        self._unsupported("payout links")

    # incoming
    @abc.abstractmethod
    def create_order(self, request: OrderRequest) -> OrderResult: ...

    @abc.abstractmethod
    def verify_checkout(self, verification: CheckoutVerification) -> bool: ...

    def capture_payment(self, gateway_payment_id: str, amount: Decimal) -> PaymentResult:
        self._unsupported("capturing payments")

    @abc.abstractmethod
    def fetch_payment(self, *, gateway_payment_id: str = "", gateway_order_id: str = "") -> PaymentResult: ...

    @abc.abstractmethod
    def create_payment_link(self, request: PaymentLinkRequest) -> PaymentLinkResult: ...

    @abc.abstractmethod
    def fetch_payment_link(self, gateway_link_id: str) -> PaymentLinkResult: ...

    @abc.abstractmethod
    def verify_payment_link_callback(self, params: dict[str, str]) -> bool:
        """True when the browser's return from a paid link (Razorpay: the GET query with
        razorpay_signature; Paytm: the posted form with CHECKSUMHASH) is signed by this
        account. Missing fields are False, never an exception. It only says which link and
        payment to ask about: the link's state comes from fetch_payment_link or the webhook."""

    def cancel_payment_link(self, gateway_link_id: str) -> PaymentLinkResult:
        self._unsupported("cancelling payment links")

    @abc.abstractmethod
    def create_refund(self, request: RefundRequest) -> RefundResult: ...

    @abc.abstractmethod
    def fetch_refund(
        self, *, gateway_refund_id: str = "", refund_reference: str = "", gateway_order_id: str = ""
    ) -> RefundResult: ...

    # both
    @abc.abstractmethod
    def verify_webhook(self, *, body: bytes, headers: dict[str, str]) -> bool: ...

    @abc.abstractmethod
    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> WebhookEvent: ...

    @abc.abstractmethod
    def fetch_settlements(self, *, on: date) -> list[Settlement]: ...

    @abc.abstractmethod
    def fetch_settlement_lines(self, *, on: date) -> list[SettlementLine]: ...
