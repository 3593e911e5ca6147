"""Settlement lines for one day, fetched through the gateway's adapter (never its SDK)."""

from datetime import date

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.registry import provider_for
from skinspire.reconciliation.engine import GatewayRow
from skinspire.reconciliation.inputs.gateway_lines import fields_from_settlement_line, gateway_rows


def settlement_rows_fetch(*, configuration: GatewayConfiguration, on: date) -> list[GatewayRow]:
    lines = provider_for(configuration).fetch_settlement_lines(on=on)
    return gateway_rows([fields_from_settlement_line(line) for line in lines], on=on)
