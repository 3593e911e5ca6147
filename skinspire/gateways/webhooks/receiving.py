"""Receive fast: route, verify, parse, store once, answer (CONVENTIONS 11).

Nothing here waits for a handler or the broker: the row is committed with its relay flag
set, and a nudge after commit wakes the relay (relay.py), which hands rows to Celery.
"""

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from skinspire.core import json_input
from skinspire.gateways.errors import GatewayError, MalformedWebhookError
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent, PaymentProvider
from skinspire.gateways.webhooks import relay
from skinspire.gateways.webhooks.routing import address_allowed, webhook_candidates, webhook_verifier
from skinspire.gateways.webhooks.storage import (
    body_digest,
    webhook_event_existing,
    webhook_event_insert,
    webhook_rejection_store,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What to answer the gateway: 200 accepted or duplicate, 401 unverified, 400 malformed."""

    status_code: int
    message: str
    row_id: int | None = None  # the inbox row that holds the event (the first one's, if a duplicate)
    duplicate: bool = False


def webhook_receive(*, provider: str, body: bytes, headers: dict[str, str], remote_ip: str | None) -> Receipt:
    # Routing, the signature check and the event all read the body: it is parsed once.
    with json_input.parsed_once():
        return _receive(provider=provider, body=body, headers=headers, remote_ip=remote_ip)


def _receive(*, provider: str, body: bytes, headers: dict[str, str], remote_ip: str | None) -> Receipt:
    candidates = webhook_candidates(provider=provider, body=body, headers=headers)
    configuration, verifier = _verified(candidates, body=body, headers=headers, remote_ip=remote_ip or "")
    rejection: dict[str, Any] = {
        "provider": provider,
        "configuration": configuration,
        "body": body,
        "headers": headers,
    }
    if verifier is None:
        reason = "no configuration for the account it names" if not candidates else "signature or address"
        webhook_rejection_store(**rejection, remote_ip=remote_ip, reason=f"not verified: {reason}")
        return Receipt(401, "The webhook signature did not verify.")
    try:
        event = verifier.parse_webhook(body=body, headers=headers)
        _check_storable(event)
    except GatewayError as error:
        webhook_rejection_store(
            **rejection, remote_ip=remote_ip, reason=f"malformed: {error.message}", signature_valid=True
        )
        return Receipt(400, error.message)
    assert configuration is not None  # a verifier comes with the configuration it verified for
    row_id, values = webhook_event_insert(
        event=event,
        configuration=configuration,
        body=body,
        headers=headers,
        remote_ip=remote_ip,
        content_hash=body_digest(body),
    )
    if row_id is None:
        first = webhook_event_existing(values)
        logger.info("webhook %s %s: duplicate of row %s", provider, event.event_id, first.pk)
        return Receipt(200, DUPLICATE, row_id=first.pk, duplicate=True)
    transaction.on_commit(relay.relay_nudge)
    return Receipt(200, RECEIVED, row_id=row_id)


def _check_storable(event: GatewayEvent) -> None:
    """The event's texts are the inbox row's columns (and `raw` its JSON): NUL or a lone
    surrogate, which PostgreSQL cannot hold (a Paytm form's `%00`, a header), makes a signed
    delivery malformed, kept as rejected and answered 400, not a 500 that loses it."""
    try:
        json_input.check_storable([getattr(event, field.name) for field in dataclasses.fields(event)])
    except json_input.JSONInputError as error:
        raise MalformedWebhookError(
            f"The webhook cannot be stored: {error}", provider=event.provider
        ) from error


RECEIVED = "Received."
DUPLICATE = "Duplicate; already received."


def _verified(
    candidates: list[GatewayConfiguration], *, body: bytes, headers: dict[str, str], remote_ip: str
) -> tuple[GatewayConfiguration | None, PaymentProvider | None]:
    """The configuration whose secret signed the delivery, with its adapter; else the first
    candidate (for the record) and None."""
    for configuration in candidates:
        if not address_allowed(configuration=configuration, remote_ip=remote_ip):
            continue
        verifier = webhook_verifier(configuration=configuration, body=body, headers=headers)
        if verifier is not None:
            return configuration, verifier
    return (candidates[0] if candidates else None), None
