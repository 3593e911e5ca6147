"""Who handles which gateway event, and who has objects whose status may need asking for.

Gateways never imports payouts or collections: each app registers here from its
`AppConfig.ready()` (DESIGN.md, "Which app may import which"):

    register_handler("payout", payout_event_apply)
    register_status_source("payouts", payouts_pending_status)

A handler is `handler(*, event: GatewayEvent, configuration: GatewayConfiguration) -> None`.
It runs inside the transaction the inbox opens for the event; returning normally means
the event is processed, raising means it failed (and is retried). Events whose object
type has no handler are marked ignored.

A status source is `list_pending(*, older_than: datetime) -> Iterable[StatusQuery]`: the
objects still waiting for the gateway since before `older_than`. The status sync asks
the gateway about each and runs the answer through the same handlers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent

OBJECT_TYPES = frozenset(
    {"payout", "payout_link", "payment", "order", "payment_link", "refund", "settlement"}
)


class EventHandler(Protocol):
    def __call__(self, *, event: GatewayEvent, configuration: GatewayConfiguration) -> None: ...


@dataclass(frozen=True)
class StatusQuery:
    """One object to ask the gateway about: its configuration, kind and ids (the gateway's
    id where known, else ours as the gateway echoes it)."""

    configuration_id: int
    object_type: str
    gateway_id: str
    reference_id: str
    # The gateway's id of the object this one belongs to, for gateways that look it up
    # through its parent: Paytm finds a refund only by its order id and refund reference.
    parent_id: str = ""


StatusSource = Callable[..., Iterable[StatusQuery]]

_handlers: dict[str, EventHandler] = {}
_status_sources: dict[str, StatusSource] = {}


def register_handler(object_type: str, handler: EventHandler) -> None:
    """Make `handler` the one for events about `object_type`. Registering the same
    function again is harmless (ready() may run twice in tests); another one is an error."""
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"Unknown object type {object_type!r}; one of {', '.join(sorted(OBJECT_TYPES))}.")
    existing = _handlers.get(object_type)
    if existing is not None and existing is not handler:
        raise ValueError(f"A handler for {object_type!r} events is already registered: {existing!r}.")
    _handlers[object_type] = handler


def unregister_handler(object_type: str) -> None:
    _handlers.pop(object_type, None)


def handler_for(object_type: str) -> EventHandler | None:
    return _handlers.get(object_type)


def register_status_source(name: str, list_pending: StatusSource) -> None:
    existing = _status_sources.get(name)
    if existing is not None and existing is not list_pending:
        raise ValueError(f"A status source named {name!r} is already registered: {existing!r}.")
    _status_sources[name] = list_pending


def unregister_status_source(name: str) -> None:
    _status_sources.pop(name, None)


def status_sources() -> dict[str, StatusSource]:
    return dict(_status_sources)


def pending_queries(*, older_than: datetime) -> list[StatusQuery]:
    """Every registered source's pending objects, in source-name order."""
    return [
        query for name in sorted(_status_sources) for query in _status_sources[name](older_than=older_than)
    ]
