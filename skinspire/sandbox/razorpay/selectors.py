"""Reads for the Razorpay sandbox API: fetches and Razorpay-style collections."""

import re
from collections.abc import Callable
from typing import TypeGuard

from django.db.models import QuerySet

from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import invalid_field
from skinspire.sandbox.selectors import sandbox_object_list


def collection(
    *, queryset: QuerySet[SandboxObject], params: dict, render: Callable[[SandboxObject], dict] | None = None
) -> dict:
    """`{entity: "collection", count, items}` with Razorpay's from/to/count/skip (§1).
    `render` turns a stored object into the entity served (default: its body)."""
    count, skip, created_from, created_to = validation.pagination(params)
    found = list(queryset)
    if created_from is not None:
        found = [item for item in found if item.body["created_at"] >= created_from]
    if created_to is not None:
        found = [item for item in found if item.body["created_at"] <= created_to]
    page = [render(item) if render else item.body for item in found[skip : skip + count]]
    return {"entity": "collection", "count": len(page), "items": page}


def objects_filtered(
    *, merchant: SandboxMerchant, entity: str, params: dict, body_filters: tuple[str, ...] = ()
):
    """Objects of one entity, filtered by the given body fields when present in `params`."""
    queryset = sandbox_object_list(merchant=merchant, entity=entity)
    for field in body_filters:
        if params.get(field) not in (None, ""):
            queryset = queryset.filter(**{f"body__{field}": params[field]})
    return queryset


def recon_items(*, merchant: SandboxMerchant, params: dict) -> dict:
    """GET /v1/settlements/recon/combined?year&month[&day] (reference §6.2)."""
    year, month, day = params.get("year"), params.get("month"), params.get("day")
    if not _digits(year, 4, 4):
        raise invalid_field("The year must be 4 digits.", field="year")
    if not (_digits(month, 1, 2) and 1 <= int(month) <= 12):
        raise invalid_field("The month must be between 1 and 12.", field="month")
    prefix = f"{year}-{int(month):02d}"
    if day not in (None, ""):
        if not (_digits(day, 1, 2) and 1 <= int(day) <= 31):
            raise invalid_field("The day must be 1 or 2 digits.", field="day")
        prefix += f"-{int(day):02d}"
    queryset = sandbox_object_list(merchant=merchant, entity="recon_item").order_by("created_at", "id")
    matching = [item for item in queryset if item.meta.get("settlement_date", "").startswith(prefix)]
    count, skip = _recon_page(params)
    page = [item.body for item in matching[skip : skip + count]]
    for item in page:
        item.pop("id", None)  # our storage key, not part of Razorpay's recon item
    return {"entity": "collection", "count": len(page), "items": page}


def _digits(value, shortest: int, longest: int) -> TypeGuard[str]:
    # ASCII only: str.isdigit() also accepts "²" and "١", which int() then rejects or misreads.
    return isinstance(value, str) and re.fullmatch(f"[0-9]{{{shortest},{longest}}}", value) is not None


def _recon_page(params: dict) -> tuple[int, int]:
    count = validation.integer_value(params.get("count") or "10")
    skip = validation.integer_value(params.get("skip") or "0")
    if count is None or not 1 <= count <= 1000:
        raise invalid_field("The count must be between 1 and 1000.", field="count")
    if skip is None or skip < 0:
        raise invalid_field("The skip must be at least 0.", field="skip")
    return count, skip


# The payout fields a statement line shows as its `source` (https://razorpay.com/docs/api/x/transactions/).
STATEMENT_PAYOUT_FIELDS = ("id", "entity", "fund_account_id", "amount", "notes", "fees", "tax", "status",
                           "utr", "mode", "created_at", "fee_type")  # fmt: skip


def transaction_body(transaction: SandboxObject) -> dict:
    """A statement line; a payout source is shown as the payout is now (status, utr)."""
    body = transaction.body
    if body["source"].get("entity") != "payout":
        return body
    payout = SandboxObject.objects.get(entity="payout", object_id=body["source"]["id"])
    source = {field: payout.body.get(field) for field in STATEMENT_PAYOUT_FIELDS}
    return {**body, "source": source}
