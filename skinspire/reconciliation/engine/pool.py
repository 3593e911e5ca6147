"""The rows still unpaired during a run, always walked in key order (hence deterministic)."""

from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from skinspire.reconciliation.engine.rows import GatewayRow, Pass, SystemRow

key_of = attrgetter("key")


class Pairing(NamedTuple):
    """One gateway row and the one or more rows of ours it was matched with (a named tuple:
    built about five times faster than a frozen dataclass, see rows.py)."""

    gateway: GatewayRow
    system: tuple[SystemRow, ...]
    match_pass: Pass
    rule: str
    score: Decimal


class Pool:
    def __init__(self, *, gateway_rows: Iterable[GatewayRow], system_rows: Iterable[SystemRow]):
        self.gateway = _by_key(gateway_rows, side="gateway")
        self.system = _by_key(system_rows, side="system")

    def gateway_rows(self) -> list[GatewayRow]:
        """The unpaired gateway rows in key order (a copy: taking rows meanwhile is safe)."""
        return list(self.gateway.values())

    def system_rows(self) -> list[SystemRow]:
        return list(self.system.values())

    def has_system(self, row: SystemRow) -> bool:
        return row.key in self.system

    def take(self, *, gateway: GatewayRow | None = None, system: Iterable[SystemRow] = ()) -> None:
        if gateway is not None:
            del self.gateway[gateway.key]
        for row in system:
            del self.system[row.key]


def _by_key(rows, *, side: str) -> dict:
    ordered = sorted(rows, key=key_of)
    indexed = dict(zip(map(key_of, ordered), ordered, strict=True))
    if len(indexed) != len(ordered):
        raise ValueError(f"Every {side} row needs a key of its own; some keys repeat.")
    return indexed


def check_keys_unique(rows: list, *, side: str) -> None:
    if len(set(map(key_of, rows))) != len(rows):
        raise ValueError(f"Every {side} row needs a key of its own; some keys repeat.")


def ids_conflict(gateway: GatewayRow, system: SystemRow) -> bool:
    """Both rows name a gateway id and the ids differ: they cannot be the same payment."""
    return bool(gateway.gateway_id and system.gateway_id and gateway.gateway_id != system.gateway_id)
