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
  the object; `reference_id` / `refund_reference` / `receipt` are OURS. See GatewayEvent
  for what each provider's object ids are.
"""

from skinspire.gateways.providers.interface.collections import (
    CheckoutVerification,
    OrderRequest,
    OrderResult,
    PaymentLinkRequest,
    PaymentLinkResult,
    PaymentResult,
    RefundRequest,
    RefundResult,
)
from skinspire.gateways.providers.interface.configuration import (
    ConfigurationField,
    ConfigurationSchema,
)
from skinspire.gateways.providers.interface.events import (
    GatewayEvent,
    Settlement,
    SettlementLine,
)
from skinspire.gateways.providers.interface.parties import (
    BankAccount,
    Customer,
    Destination,
    UpiAddress,
)
from skinspire.gateways.providers.interface.payouts import (
    ContactRequest,
    ContactResult,
    FundAccountRequest,
    FundAccountResult,
    FundAccountValidationRequest,
    FundAccountValidationResult,
    PayoutLinkRequest,
    PayoutLinkResult,
    PayoutRequest,
    PayoutResult,
)
from skinspire.gateways.providers.interface.provider import (
    PaymentProvider,
)
from skinspire.gateways.providers.interface.statuses import (
    LinkStatus,
    OrderStatus,
    PaymentStatus,
    PayoutLinkStatus,
    PayoutMode,
    PayoutStatus,
    RefundStatus,
)

__all__ = [
    "BankAccount",
    "CheckoutVerification",
    "ConfigurationField",
    "ConfigurationSchema",
    "ContactRequest",
    "ContactResult",
    "Customer",
    "Destination",
    "FundAccountRequest",
    "FundAccountResult",
    "FundAccountValidationRequest",
    "FundAccountValidationResult",
    "GatewayEvent",
    "LinkStatus",
    "OrderRequest",
    "OrderResult",
    "OrderStatus",
    "PaymentLinkRequest",
    "PaymentLinkResult",
    "PaymentProvider",
    "PaymentResult",
    "PaymentStatus",
    "PayoutLinkRequest",
    "PayoutLinkResult",
    "PayoutLinkStatus",
    "PayoutMode",
    "PayoutRequest",
    "PayoutResult",
    "PayoutStatus",
    "RefundRequest",
    "RefundResult",
    "RefundStatus",
    "Settlement",
    "SettlementLine",
    "UpiAddress",
]
