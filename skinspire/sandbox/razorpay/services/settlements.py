"""T+1 settlements and their recon items (reference §6.1, §6.2).

`settlement_generate` settles, for one settlement date, every payment captured and every
refund created on the day before that has not been settled yet: payments credit
`amount − fee` (fee includes GST), refunds debit their amount. The settlement's `amount` is
Σcredit − Σdebit; `fees`/`tax` sum the items'. Idempotent per (merchant, date): the
settlement's idempotency key is its date, guarded by the unique constraint.

`settlement_settle_now` is the sandbox's own control (no Razorpay API): it settles at once,
dated today, everything not settled yet, so reconciliation can be exercised without waiting
for T+1 09:30 IST.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from skinspire.sandbox.ids import digits_new, object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save


def settlement_generate(*, merchant: SandboxMerchant, settlement_date: date) -> SandboxObject | None:
    """The settlement for `settlement_date`, created once; None if there is nothing to settle."""
    key = f"settlement-{settlement_date.isoformat()}"
    with transaction.atomic():
        # Lock the merchant so two runs for the same date cannot both build one.
        SandboxMerchant.objects.select_for_update().get(pk=merchant.pk)
        existing = SandboxObject.objects.filter(
            merchant=merchant, entity="settlement", idempotency_key=key
        ).first()
        if existing is not None:
            return existing
        day_before = (settlement_date - timedelta(days=1)).isoformat()
        sources = list(_unsettled(merchant=merchant).filter(meta__ledger_date=day_before))
        if not sources:
            return None
        settlement = _settlement_record(
            merchant=merchant, key=key, sources=sources, settlement_date=settlement_date
        )
    return settlement


def settlement_settle_now(*, merchant: SandboxMerchant) -> SandboxObject | None:
    """A settlement, dated today, of every capture and refund not settled yet; None if none."""
    with transaction.atomic():
        SandboxMerchant.objects.select_for_update().get(pk=merchant.pk)
        sources = list(_unsettled(merchant=merchant).filter(meta__has_key="ledger_date"))
        if not sources:
            return None
        return _settlement_record(
            merchant=merchant, key="", sources=sources, settlement_date=timezone.localdate()
        )


def _unsettled(*, merchant: SandboxMerchant) -> QuerySet[SandboxObject]:
    return (
        SandboxObject.objects.filter(merchant=merchant, entity__in=("payment", "refund"))
        .exclude(meta__has_key="settlement_id")
        .order_by("created_at", "id")
    )


def _settlement_record(
    *, merchant: SandboxMerchant, key: str, sources: list[SandboxObject], settlement_date: date
) -> SandboxObject:
    settlement_id = object_id_new(prefix="setl")
    utr = "RZRP" + digits_new(length=12)  # the shape of the SDK fixtures' settlement UTRs
    settled_at = now_unix()
    items = [
        _recon_item(source=source, settlement_id=settlement_id, utr=utr, settled_at=settled_at)
        for source in sources
    ]
    body = {
        "id": settlement_id,
        "entity": "settlement",
        "amount": sum(item["credit"] for item in items) - sum(item["debit"] for item in items),
        "status": "processed",
        "fees": sum(item["fee"] for item in items),
        "tax": sum(item["tax"] for item in items),
        "utr": utr,
        "created_at": settled_at,
    }
    settlement = sandbox_object_create(
        merchant=merchant, entity="settlement", body=body, idempotency_key=key,
        meta={"settlement_date": settlement_date.isoformat()},
    )  # fmt: skip
    for source, item in zip(sources, items, strict=True):
        sandbox_object_create(
            merchant=merchant,
            entity="recon_item",
            body={"id": f"recon_{source.object_id}", **item},
            parent_id=settlement_id,
            meta={"settlement_date": settlement_date.isoformat()},
        )
        source.meta["settlement_id"] = settlement_id
        sandbox_object_save(sandbox_object=source)
    event_emit(
        merchant=merchant,
        event="settlement.processed",
        entities={"settlement": body},
        object_id=settlement_id,
    )
    return settlement


def _recon_item(*, source: SandboxObject, settlement_id: str, utr: str, settled_at: int) -> dict:
    entity = source.body
    is_payment = source.entity == "payment"
    order = None
    order_id = entity.get("order_id") if is_payment else None
    if is_payment:
        order = SandboxObject.objects.filter(entity="order", object_id=order_id).first()
    fee = entity.get("fee") or 0 if is_payment else 0
    tax = entity.get("tax") or 0 if is_payment else 0
    return {
        "entity_id": source.object_id,
        "type": source.entity,
        "debit": 0 if is_payment else entity["amount"],
        "credit": entity["amount"] - fee if is_payment else 0,
        "amount": entity["amount"],
        "currency": entity["currency"],
        "fee": fee,
        "tax": tax,
        "on_hold": False,
        "settled": True,
        "created_at": entity["created_at"],
        "settled_at": settled_at,
        "settlement_id": settlement_id,
        "posted_at": None,
        "credit_type": "default",
        "description": entity.get("description") if is_payment else None,
        "notes": entity.get("notes") or "{}",
        "payment_id": None if is_payment else entity["payment_id"],
        "settlement_utr": utr,
        "order_id": order_id,
        "order_receipt": order.body.get("receipt") if order else None,
        "method": entity.get("method") if is_payment else None,
        "card_network": None,
        "card_issuer": None,
        "card_type": None,
        "dispute_id": None,
    }


def settlements_generate_all(*, settlement_date: date) -> int:
    """Settle every Razorpay sandbox merchant for the date (the daily beat task)."""
    created = 0
    for merchant in SandboxMerchant.objects.filter(provider="razorpay"):
        if settlement_generate(merchant=merchant, settlement_date=settlement_date) is not None:
            created += 1
    return created
