"""Short flows the contract tests build on: an order paid (or not), a payout run to its end."""

from decimal import Decimal

from skinspire.gateways.providers.interface import OrderResult, PaymentResult, PayoutRequest, PayoutResult
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.gateways import PAID_AMOUNT, Gateway


def paid_order(
    gateway: Gateway, *, amount: Decimal = PAID_AMOUNT, succeed: bool = True, receipt: str = "CBILL-0001"
) -> tuple[OrderResult, PaymentResult]:
    """An order, paid by the patient at the sandbox, and the payment as the adapter reads it."""
    order = gateway.provider.create_order(builders.order(amount=amount, receipt=receipt))
    gateway.spec.pay_order(gateway.merchant, order.gateway_order_id, succeed=succeed)
    return order, gateway.provider.fetch_payment(gateway_order_id=order.gateway_order_id)


def payout_to_its_end(gateway: Gateway, request: PayoutRequest) -> tuple[PayoutResult, PayoutResult]:
    """The payout as created, and as fetched by our reference once the bank has done with it."""
    created = gateway.provider.create_payout(request)
    gateway.spec.advance_payout(created.gateway_payout_id)
    return created, gateway.provider.fetch_payout(reference_id=request.reference_id)
