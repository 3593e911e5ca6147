"""PaytmProvider: one Paytm merchant account behind the PaymentProvider interface.

Each operation lives in its own module; this class holds the account (credentials,
session, configuration). The base class refuses operations the configuration is not
enabled for, before anything is sent (Paytm payouts are enterprise-only, reference §0).
"""

from datetime import date

import requests

from skinspire.gateways.credentials import GatewayCredentials
from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.providers import interface
from skinspire.gateways.providers.paytm import links, payments, payouts, refunds, settlements, webhooks
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient
from skinspire.gateways.providers.paytm.configuration import CONFIGURATION


class PaytmProvider(interface.PaymentProvider):
    name = PROVIDER
    configuration_schema = CONFIGURATION

    def __init__(self, *, configuration, credentials: GatewayCredentials, session: requests.Session):
        super().__init__(configuration=configuration, credentials=credentials, session=session)
        self.client = PaytmClient(credentials=credentials, session=session)

    # outgoing
    def create_payout(self, request: interface.PayoutRequest) -> interface.PayoutResult:
        return payouts.payout_create(client=self.client, configuration=self.configuration, request=request)

    def fetch_payout(self, *, gateway_payout_id: str = "", reference_id: str = "") -> interface.PayoutResult:
        # Paytm looks disbursals up only by our orderId (reference §1.5); a gateway id alone
        # is tried as one, since it is our orderId until Paytm has given its own.
        order_id = reference_id or gateway_payout_id
        if not order_id:
            raise InvalidGatewayRequestError("Give a payout id or a reference id.", provider=PROVIDER)
        result = payouts.payout_fetch(
            client=self.client, configuration=self.configuration, reference_id=order_id
        )
        if result is None:
            raise GatewayNotFoundError(
                f"Paytm holds no payout with the reference {order_id}.", provider=PROVIDER, code="not_found"
            )
        return result

    # incoming
    def create_order(self, request: interface.OrderRequest) -> interface.OrderResult:
        return payments.order_create(client=self.client, configuration=self.configuration, request=request)

    def find_order(self, *, receipt: str) -> interface.OrderResult:
        return payments.order_find(client=self.client, configuration=self.configuration, order_id=receipt)

    def verify_checkout(self, verification: interface.CheckoutVerification) -> bool:
        return payments.checkout_verify(client=self.client, verification=verification)

    def fetch_payment(
        self, *, gateway_payment_id: str = "", gateway_order_id: str = ""
    ) -> interface.PaymentResult:
        if not gateway_order_id:
            raise InvalidGatewayRequestError(
                "Paytm looks payments up by order id; none was given.", provider=PROVIDER, code="order_id"
            )
        return payments.payment_fetch(
            client=self.client, configuration=self.configuration, order_id=gateway_order_id
        )

    def create_payment_link(self, request: interface.PaymentLinkRequest) -> interface.PaymentLinkResult:
        return links.link_create(client=self.client, configuration=self.configuration, request=request)

    def fetch_payment_link(self, gateway_link_id: str) -> interface.PaymentLinkResult:
        return links.link_fetch(client=self.client, configuration=self.configuration, link_id=gateway_link_id)

    def verify_payment_link_callback(self, params: dict[str, str]) -> bool:
        return links.link_callback_verify(client=self.client, params=params)

    def payment_link_callback_link_id(self, params: dict[str, str]) -> str:
        return links.link_callback_link_id(params)

    def cancel_payment_link(self, gateway_link_id: str) -> interface.PaymentLinkResult:
        return links.link_expire(
            client=self.client, configuration=self.configuration, link_id=gateway_link_id
        )

    def create_refund(self, request: interface.RefundRequest) -> interface.RefundResult:
        return refunds.refund_create(client=self.client, configuration=self.configuration, request=request)

    def fetch_refund(
        self, *, gateway_refund_id: str = "", refund_reference: str = "", gateway_order_id: str = ""
    ) -> interface.RefundResult:
        if not (refund_reference and gateway_order_id):
            raise InvalidGatewayRequestError(
                "Paytm looks refunds up by order id and refund reference.",
                provider=PROVIDER,
                code="refund_id",
            )
        return refunds.refund_fetch(
            client=self.client,
            configuration=self.configuration,
            order_id=gateway_order_id,
            refund_reference=refund_reference,
        )

    # both
    webhook_secret_field = "merchant_key"

    @classmethod
    def webhook_merchant_id(cls, *, body: bytes, headers: dict[str, str]) -> str:
        return webhooks.webhook_merchant_id(body=body, headers=headers)

    def verify_webhook(self, *, body: bytes, headers: dict[str, str]) -> bool:
        return webhooks.webhook_verify(body=body, headers=headers, merchant_key=self.client.merchant_key)

    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> interface.GatewayEvent:
        return webhooks.webhook_parse(body=body, headers=headers)

    def payout_event_status(self, event: interface.GatewayEvent) -> interface.PayoutStatus:
        return webhooks.payout_event_status(event)

    def fetch_settlements(self, *, on: date) -> list[interface.Settlement]:
        return settlements.settlements_from_lines(self.fetch_settlement_lines(on=on))

    def fetch_settlement_lines(self, *, on: date) -> list[interface.SettlementLine]:
        return settlements.settlement_lines(client=self.client, configuration=self.configuration, on=on)
