"""Settlement and payout-statement lines for one day, fetched through the gateway's adapter
(never its SDK)."""

from datetime import date

from skinspire.gateways.errors import UnsupportedOperationError
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.registry import provider_for
from skinspire.reconciliation.engine import GatewayRow
from skinspire.reconciliation.inputs.gateway_lines import fields_from_settlement_line, gateway_rows


def settlement_rows_fetch(*, configuration: GatewayConfiguration, on: date) -> list[GatewayRow]:
    lines = provider_for(configuration).fetch_settlement_lines(on=on)
    return gateway_rows([fields_from_settlement_line(line) for line in lines], on=on)


def payout_rows_fetch(*, configuration: GatewayConfiguration, on: date) -> list[GatewayRow] | None:
    """The payouts the gateway's statement shows for `on`; None when payouts cannot be
    reconciled here (the configuration makes none, or the gateway has no statement API), so
    the run leaves our payouts out rather than calling them all missing."""
    if not configuration.has_capability(Capability.PAYOUTS):
        return None
    try:
        lines = provider_for(configuration).fetch_payout_lines(on=on)
    except UnsupportedOperationError:
        return None
    return gateway_rows([fields_from_settlement_line(line) for line in lines], on=on)
