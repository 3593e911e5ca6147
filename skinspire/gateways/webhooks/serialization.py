"""A GatewayEvent as canonical JSON bytes and back (status-sync rows store it as their body)."""

import dataclasses
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from skinspire.core import json_input
from skinspire.gateways.providers.interface import GatewayEvent

DECIMAL_FIELDS = ("amount", "fee", "tax")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def event_to_json(event: GatewayEvent) -> bytes:
    """Sorted keys, no spaces: the same event always gives the same bytes."""
    fields = dataclasses.asdict(event)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=_plain).encode()


def event_from_json(body: bytes) -> GatewayEvent:
    fields = json_input.loads(body)
    for name in DECIMAL_FIELDS:
        if fields.get(name) is not None:
            fields[name] = Decimal(fields[name])
    if fields.get("occurred_at"):
        fields["occurred_at"] = datetime.fromisoformat(fields["occurred_at"])
    known = {field.name for field in dataclasses.fields(GatewayEvent)}
    return GatewayEvent(**{name: value for name, value in fields.items() if name in known})
