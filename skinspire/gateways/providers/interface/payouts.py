"""Outgoing money: contacts, fund accounts, payouts and payout links."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from skinspire.gateways.providers.interface.parties import Destination
from skinspire.gateways.providers.interface.statuses import PayoutLinkStatus, PayoutMode, PayoutStatus


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
    # Why a payout still in flight is held, in the gateway's words (e.g. RazorpayX queues a
    # payout when the balance is too low); empty when the gateway gives no reason.
    waiting_reason: str = ""
    waiting_code: str = ""
    # The latest time the answer carries by the gateway's own clock, which its word cannot
    # be older than: when the gateway processed it (Paytm's processedOn), else when it
    # created the payout (RazorpayX `created_at`, Paytm's createdOn). None if it carries none.
    said_at: datetime | None = None
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
    status: PayoutLinkStatus
    amount: Decimal
    gateway_status: str = ""
    reference_id: str = ""  # ours (Razorpay's `receipt`)
    gateway_payout_id: str = ""  # the payout the recipient's claim made (the latest attempt)
    attempt_count: int = 0
    expires_at: datetime | None = None
    # As PayoutResult.said_at: the latest of the link's own times (created_at, cancelled_at,
    # expired_at), by the gateway's clock.
    said_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class FundAccountValidationRequest:
    """Check a fund account before paying it: a penny drop for a bank account, a VPA check
    for a UPI id. The gateway answers asynchronously; fetch the result by its id."""

    fund_account_id: str
    reference_id: str = ""  # ours, kept in the validation's notes


@dataclass(frozen=True)
class FundAccountValidationResult:
    validation_id: str
    status: str  # created (still running), completed or failed (the bank did not answer)
    account_status: str = ""  # active or invalid, once completed
    registered_name: str = ""  # the holder's name as the bank (or UPI network) returned it
    utr: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_finished(self) -> bool:
        return self.status in ("completed", "failed")
