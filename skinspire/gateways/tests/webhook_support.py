"""Shared helpers for the webhook inbox tests (no tests here).

The handler below is what payouts will register: it finds the owning row (core's
TrialPayout, a payout-shaped model with a state machine) by our reference and moves it
through the shared transition block, so stale and repeated events are recorded, not applied.
"""

import hashlib
import hmac
import json
from urllib.parse import urlencode

from paytmchecksum import PaytmChecksum

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import transition
from skinspire.gateways.providers.interface import GatewayEvent
from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.webhooks.models import WebhookEvent

RAZORPAY_URL = "/api/gateway/webhook/razorpay"
PAYTM_URL = "/api/gateway/webhook/paytm"
# Razorpay's payout statuses are the table's own words; Paytm's are mapped.
TRIAL_STATUS = {
    "queued": "queued",
    "pending": "queued",
    "processing": "processing",
    "processed": "processed",
    "failed": "failed",
    "reversed": "reversed",
    "cancelled": "cancelled",
    "ACCEPTED": "processing",
    "PENDING": "processing",
    "SUCCESS": "processed",
    "FAILURE": "failed",
}


def trial_payout_handler(*, event: GatewayEvent, configuration) -> None:
    payout = TrialPayout.objects.get(reference=event.reference_id)
    transition(
        instance=payout,
        to=TRIAL_STATUS[event.status],
        reason=f"gateway says {event.status}",
        event_reference=f"webhook:{event.provider}:{event.event_id}",
    )


def razorpay_payout_envelope(
    *, account_id: str, reference: str, status: str, payout_id: str = "pout_Trial0001"
) -> bytes:
    """A payout.<status> event in Razorpay's documented shape (reference §5)."""
    payout = {
        "id": payout_id,
        "entity": "payout",
        "fund_account_id": "fa_Trial00000001",
        "amount": 150000,
        "currency": "INR",
        "fees": 590,
        "tax": 90,
        "status": status,
        "utr": "UTR000111" if status == "processed" else None,
        "mode": "IMPS",
        "purpose": "vendor bill",
        "reference_id": reference,
        "narration": "Supplier payment",
        "status_details": None,
        "created_at": 1755693600,
    }
    envelope = {
        "entity": "event",
        "account_id": account_id,
        "event": f"payout.{status}",
        "contains": ["payout"],
        "payload": {"payout": {"entity": payout}},
        "created_at": 1755693679,
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


def razorpay_headers(body: bytes, *, secret: str, event_id: str = "HK890egfiItP3H") -> dict[str, str]:
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"HTTP_X_RAZORPAY_SIGNATURE": signature, "HTTP_X_RAZORPAY_EVENT_ID": event_id}


def post(client, url: str, body: bytes, headers: dict[str, str], content_type: str = "application/json"):
    return client.post(url, data=body, content_type=content_type, **headers)


def paytm_form(fields: dict[str, str], *, key: str) -> bytes:
    unsigned = {name: value for name, value in fields.items() if name != "CHECKSUMHASH"}
    return urlencode({**unsigned, "CHECKSUMHASH": signing.sign_fields(unsigned, merchant_key=key)}).encode()


def paytm_payout_callback(document: dict, *, key: str, mid: str) -> tuple[bytes, dict[str, str]]:
    text = json.dumps(document, separators=(",", ":"))
    return text.encode(), {"HTTP_X_MID": mid, "HTTP_X_CHECKSUM": PaytmChecksum.generateSignature(text, key)}


def paytm_envelope(body: dict, *, key: str) -> bytes:
    body_text = json.dumps(body, indent=2)
    signature = PaytmChecksum.generateSignature(body_text, key)
    return f'{{"head": {{"version": "v1", "signature": "{signature}"}}, "body": {body_text}}}'.encode()


def rows(**filters) -> list[WebhookEvent]:
    return list(WebhookEvent.objects.filter(**filters).order_by("id"))


def history(instance) -> list[tuple[str, str, str]]:
    """The row's status moves: (from, to, applied/ignored), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from skinspire.core.models import StatusTransition

    moves = StatusTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )
    return list(moves.order_by("id").values_list("from_state", "to_state", "outcome"))
