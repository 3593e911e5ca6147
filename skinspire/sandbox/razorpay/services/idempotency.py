"""Idempotency headers: the same key with the same body returns the first result.

Payouts (`X-Payout-Idempotency`) and refunds (`X-Refund-Idempotency`) both reject a
different body under a used key (reference §2.4).
"""

import hashlib
import json

from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay.errors import RazorpayApiError

DIFFERENT_BODY = "Different request body sent for the same Idempotency Header"


def request_hash(*, data: dict, scope: str = "") -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def replay_or_none(
    *, merchant: SandboxMerchant, entity: str, key: str, body_hash: str, step: str | None
) -> SandboxObject | None:
    """The object first created under `key`, or None; a different body is an error."""
    if not key:
        return None
    existing = SandboxObject.objects.filter(merchant=merchant, entity=entity, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.request_hash != body_hash:
        raise RazorpayApiError(DIFFERENT_BODY, step=step, field=None)
    return existing
