"""Webhook events, built and signed the way Razorpay sends them (reference §4.3, §5).

The body is serialised once and the signature is HMAC-SHA256 (hex) of exactly those bytes
with the merchant's webhook secret; https://razorpay.com/docs/webhooks/validate-test/ .
"""

import hashlib
import hmac
import json
from typing import Any

from django.utils import timezone

from skinspire.sandbox.delivery import webhook_enqueue
from skinspire.sandbox.ids import ID_LENGTH, object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxWebhookDelivery

USER_AGENT = "Razorpay-Webhook/v1"


def account_id_for(*, merchant: SandboxMerchant) -> str:
    """A stable `acc_…` id per merchant, as the envelope's `account_id`."""
    digest = hashlib.sha256(merchant.key_id.encode()).hexdigest()
    return f"acc_{digest[:ID_LENGTH]}"


def webhook_signature(*, body: str, secret: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def event_emit(
    *, merchant: SandboxMerchant, event: str, entities: dict[str, dict[str, Any]], object_id: str
) -> SandboxWebhookDelivery | None:
    """Queue one event. `entities` maps payload keys ("payment", "order", ...) to entities,
    in the order Razorpay lists them in `contains`."""
    envelope = {
        "entity": "event",
        "account_id": account_id_for(merchant=merchant),
        "event": event,
        "contains": list(entities),
        "payload": {key: {"entity": entity} for key, entity in entities.items()},
        "created_at": int(timezone.now().timestamp()),
    }
    body = json.dumps(envelope, separators=(",", ":"))
    # Razorpay event ids are bare 14-character ids; the prefix is dropped after generating.
    event_id = object_id_new(prefix="evt").removeprefix("evt_")
    headers = {
        "Content-Type": "application/json",
        "X-Razorpay-Signature": webhook_signature(body=body, secret=merchant.webhook_secret),
        "X-Razorpay-Event-Id": event_id,
        "User-Agent": USER_AGENT,
    }
    return webhook_enqueue(
        merchant=merchant,
        event_id=event_id,
        event_type=event,
        object_id=object_id,
        body=body,
        headers=headers,
    )
