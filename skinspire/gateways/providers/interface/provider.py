"""The provider ABC every gateway adapter implements."""

import abc
from datetime import date
from decimal import Decimal
from typing import ClassVar, NoReturn

from skinspire.gateways.errors import UnsupportedOperationError
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
from skinspire.gateways.providers.interface.configuration import ConfigurationSchema
from skinspire.gateways.providers.interface.events import (
    GatewayEvent,
    Settlement,
    SettlementLine,
)
from skinspire.gateways.providers.interface.guards import guard_operations
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
from skinspire.gateways.providers.interface.statuses import PayoutStatus


class PaymentProvider(abc.ABC):
    """One gateway account. Built by the registry from a GatewayConfiguration's credentials.

    Every method either returns its result dataclass or raises a GatewayError subclass
    (skinspire.gateways.errors), the same class for the same situation in every adapter:
    docs/gateways.md, "The adapter contract", pinned by skinspire/gateways/tests/contract/.
    An operation the provider has no API for raises UnsupportedOperationError, and so does
    one the configuration lacks the capability for; amounts that are not whole paise are
    refused. Those checks run here (interface/guards.py), before the adapter's code.
    """

    name: str = ""
    # What the provider is configured with and what it has an API for
    # (interface/configuration.py): every adapter declares its own.
    configuration_schema: ClassVar[ConfigurationSchema]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        guard_operations(cls)

    def __init__(self, *, configuration=None, credentials=None, session=None):
        # The registry (providers/registry.py) builds every provider with exactly these:
        # the GatewayConfiguration (secrets deferred), its decrypted GatewayCredentials and
        # a session from skinspire.gateways.http.new_session(). Every adapter calls this.
        self.configuration = configuration
        self.credentials = credentials
        self.session = session

    def _unsupported(self, operation: str) -> NoReturn:
        raise UnsupportedOperationError(
            f"{self.configuration_schema.label} has no API for {operation}.",
            provider=self.name,
            operation=operation,
        )

    # outgoing
    def create_contact(self, request: ContactRequest) -> ContactResult:
        self._unsupported("contacts")

    def create_fund_account(self, request: FundAccountRequest) -> FundAccountResult:
        self._unsupported("fund accounts")

    def validate_fund_account(self, request: FundAccountValidationRequest) -> FundAccountValidationResult:
        self._unsupported("account validation")

    def fetch_fund_account_validation(self, validation_id: str) -> FundAccountValidationResult:
        self._unsupported("account validation")

    def payout_event_status(self, event: GatewayEvent) -> PayoutStatus:
        """The normalised status of a payout webhook (`event.status` is the gateway's word)."""
        self._unsupported("payout events")

    @abc.abstractmethod
    def create_payout(self, request: PayoutRequest) -> PayoutResult: ...

    @abc.abstractmethod
    def fetch_payout(self, *, gateway_payout_id: str = "", reference_id: str = "") -> PayoutResult: ...

    def cancel_payout(self, gateway_payout_id: str) -> PayoutResult:
        self._unsupported("cancelling payouts")

    def create_payout_link(self, request: PayoutLinkRequest) -> PayoutLinkResult:
        self._unsupported("payout links")

    def fetch_payout_link(self, gateway_link_id: str = "", *, reference_id: str = "") -> PayoutLinkResult:
        """By the gateway's link id, or by our reference (the link's receipt) when a create
        call's answer was lost: payout links take no idempotency key (reference §2.4)."""
        self._unsupported("payout links")

    def cancel_payout_link(self, gateway_link_id: str) -> PayoutLinkResult:
        self._unsupported("payout links")

    # incoming
    @abc.abstractmethod
    def create_order(self, request: OrderRequest) -> OrderResult: ...

    def find_order(self, *, receipt: str) -> OrderResult:
        """The order create_order made with `receipt` (our reference), for when its answer
        was lost (a timeout after the gateway acted). GatewayNotFoundError when the gateway
        has none, i.e. the create never reached it. Its `checkout` is empty."""
        self._unsupported("finding orders by receipt")

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

    def payment_link_callback_link_id(self, params: dict[str, str]) -> str:
        """The gateway's id of the link a return from a paid link names, "" if none. A return
        the gateway signed for one link proves nothing about another link (replayed on its page
        it would record the payment on the other bill), so the caller compares this with its
        link's id as well as checking the signature. A provider without it names none, and its
        returns are refused: the webhook and the status sync still record its payments."""
        return ""

    def cancel_payment_link(self, gateway_link_id: str) -> PaymentLinkResult:
        self._unsupported("cancelling payment links")

    # Whether find_payment_link has an API behind it: a link whose create answer was lost
    # can then be looked up (and cancelled); without it, it can only be left to expire.
    finds_payment_links: ClassVar[bool] = False

    def find_payment_link(self, *, reference_id: str) -> PaymentLinkResult:
        """The link create_payment_link made with `reference_id` (our reference), for when its
        answer was lost (a timeout after the gateway acted). GatewayNotFoundError when the
        gateway holds none, i.e. the create never reached it."""
        self._unsupported("finding payment links by reference")

    @abc.abstractmethod
    def create_refund(self, request: RefundRequest) -> RefundResult: ...

    @abc.abstractmethod
    def fetch_refund(
        self, *, gateway_refund_id: str = "", refund_reference: str = "", gateway_order_id: str = ""
    ) -> RefundResult: ...

    # both
    # The GatewayCredentials field whose secret signs this provider's webhooks: rotating it
    # opens the grace window in which the previous value still verifies (webhooks/routing.py).
    webhook_secret_field: str = ""

    @classmethod
    def webhook_merchant_id(cls, *, body: bytes, headers: dict[str, str]) -> str:
        """The merchant account an UNVERIFIED webhook names (Razorpay's envelope
        `account_id`, Paytm's MID), used only to find the one configuration whose secret
        must then verify it. Empty when the delivery names none; never raises."""
        return ""

    @abc.abstractmethod
    def verify_webhook(self, *, body: bytes, headers: dict[str, str]) -> bool: ...

    @abc.abstractmethod
    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> GatewayEvent: ...

    @abc.abstractmethod
    def fetch_settlements(self, *, on: date) -> list[Settlement]: ...

    @abc.abstractmethod
    def fetch_settlement_lines(self, *, on: date) -> list[SettlementLine]: ...

    def fetch_payout_lines(self, *, on: date) -> list[SettlementLine]:
        """The payouts account's statement for `on` (our time zone): one line per payout that
        left the balance (`entity_type` "payout", debit = amount + fees) and per payout whose
        money came back ("reversal", credit = amount + fees), `settlement_id` being the
        statement line's id. Balance top-ups and other movements are not payouts and are left
        out. Payouts never appear in settlement lines: the gateway debits them from its own
        balance, so they are reconciled against this statement."""
        self._unsupported("payout statements")
