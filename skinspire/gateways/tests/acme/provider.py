"""The Acme Pay adapter: its schema, and no API (see the package docstring)."""

from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.tests.acme.configuration import CONFIGURATION


class AcmePayProvider(PaymentProvider):
    name = "acme"
    configuration_schema = CONFIGURATION

    def _no_api(self, *args, **kwargs):
        self._unsupported("this operation (Acme Pay exists only to test configuration)")

    create_payout = fetch_payout = create_order = verify_checkout = fetch_payment = _no_api
    create_payment_link = fetch_payment_link = verify_payment_link_callback = _no_api
    create_refund = fetch_refund = verify_webhook = parse_webhook = _no_api
    fetch_settlements = fetch_settlement_lines = _no_api
