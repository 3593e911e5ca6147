"""The Razorpay adapter: Payment Gateway + RazorpayX behind our PaymentProvider interface.

Uses the official `razorpay` SDK for orders, payments, links, refunds, settlements and
signatures, and the same SDK client's authenticated requests for the RazorpayX endpoints
the SDK lacks. Amounts are Decimal rupees outside this package and integer paise inside.
"""

from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.providers.razorpay.configuration import CONFIGURATION
from skinspire.gateways.providers.razorpay.payments import PaymentOperations
from skinspire.gateways.providers.razorpay.payout_links import PayoutLinkOperations
from skinspire.gateways.providers.razorpay.payouts import PayoutOperations
from skinspire.gateways.providers.razorpay.refunds import RefundOperations
from skinspire.gateways.providers.razorpay.statement import StatementOperations
from skinspire.gateways.providers.razorpay.validations import ValidationOperations
from skinspire.gateways.providers.razorpay.webhooks import WebhookOperations


class RazorpayProvider(
    PayoutOperations,
    PayoutLinkOperations,
    ValidationOperations,
    PaymentOperations,
    RefundOperations,
    WebhookOperations,
    StatementOperations,
    PaymentProvider,
):
    """Built by skinspire.gateways.providers.registry.provider_for(configuration)."""

    configuration_schema = CONFIGURATION
