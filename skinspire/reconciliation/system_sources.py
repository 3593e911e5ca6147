"""Where our rows come from: each app that moves money registers a source for its kind.

    register_system_source("payout", payout_rows)   # in PayoutsConfig.ready()

A source is `callable(*, configuration, start, end) -> list[SystemRow]`: that configuration's
rows dated from `start` to `end` inclusive, failed ones too (so "we say failed, the gateway
settled it" is seen). Reconciliation imports no payouts or collections code: the apps plug in
here, as webhook handlers plug into the gateways' registry.
"""

from collections.abc import Callable
from datetime import date
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from skinspire.reconciliation.engine import SystemRow


class SystemSource(Protocol):
    def __call__(self, *, configuration, start: date, end: date) -> list[SystemRow]: ...


_sources: dict[str, Callable[..., list[SystemRow]]] = {}


def register_system_source(kind: str, source: SystemSource) -> None:
    registered = _sources.get(kind)
    if registered is not None and registered is not source:
        raise ImproperlyConfigured(
            f"A reconciliation source for '{kind}' is already registered ({registered})."
        )
    _sources[kind] = source


def unregister_system_source(kind: str) -> None:
    _sources.pop(kind, None)


def registered_kinds() -> list[str]:
    return sorted(_sources)


def system_rows_collect(*, configuration, start: date, end: date) -> list[SystemRow]:
    rows: list[SystemRow] = []
    for kind in registered_kinds():
        rows.extend(_sources[kind](configuration=configuration, start=start, end=end))
    return rows
