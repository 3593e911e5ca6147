"""Writes to the sandbox's generic state, shared by the Razorpay and Paytm protocols."""

from typing import Any

from skinspire.sandbox.models import SandboxMerchant, SandboxObject


def sandbox_object_create(
    *,
    merchant: SandboxMerchant,
    entity: str,
    body: dict[str, Any],
    parent_id: str = "",
    idempotency_key: str = "",
    request_hash: str = "",
    meta: dict[str, Any] | None = None,
) -> SandboxObject:
    """Store one entity; `body["id"]` is its object id and `body["status"]` its status."""
    return SandboxObject.objects.create(
        merchant=merchant,
        entity=entity,
        object_id=body["id"],
        status=body.get("status") or "",
        body=body,
        parent_id=parent_id,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        meta=meta or {},
    )


def sandbox_object_save(*, sandbox_object: SandboxObject) -> SandboxObject:
    """Persist an edited body, keeping the indexed status column in step with it."""
    sandbox_object.status = sandbox_object.body.get("status") or ""
    sandbox_object.save(update_fields=["body", "status", "meta", "updated_at"])
    return sandbox_object
