"""Razorpay answers (paise, Unix seconds, Razorpay status words) to our dataclasses.

Field names follow Razorpay's entity docs (shared/reference/razorpay.md §2.6, §3, §6).
"""

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skinspire.core.money import paise_to_rupees
from skinspire.core.redaction import redact_text
from skinspire.gateways.providers.interface import (
    LinkStatus,
    OrderResult,
    OrderStatus,
    PaymentLinkResult,
    PaymentResult,
    PaymentStatus,
    PayoutResult,
    PayoutStatus,
    RefundResult,
    RefundStatus,
    Settlement,
    SettlementLine,
)

# https://razorpay.com/docs/x/payouts/states-life-cycle/ — queued/pending/scheduled all wait.
PAYOUT_STATUSES = {
    "queued": PayoutStatus.PENDING,
    "pending": PayoutStatus.PENDING,
    "scheduled": PayoutStatus.PENDING,
    "processing": PayoutStatus.PROCESSING,
    "processed": PayoutStatus.PROCESSED,
    "reversed": PayoutStatus.REVERSED,
    "failed": PayoutStatus.FAILED,
    "cancelled": PayoutStatus.CANCELLED,
    "rejected": PayoutStatus.REJECTED,
}
PAYOUT_FAILURES = {"reversed", "failed", "cancelled", "rejected"}
PAYOUT_IN_FLIGHT = {"queued", "pending", "scheduled", "processing"}
PAYMENT_STATUSES = {status.value: status for status in PaymentStatus}
ORDER_STATUSES = {status.value: status for status in OrderStatus}
LINK_STATUSES = {status.value: status for status in LinkStatus}
REFUND_STATUSES = {"created": RefundStatus.PENDING} | {status.value: status for status in RefundStatus}


def rupees(paise: Any) -> Decimal:
    return paise_to_rupees(paise or 0)


def optional_rupees(paise: Any) -> Decimal | None:
    return None if paise is None else paise_to_rupees(paise)


def from_unix(seconds: Any) -> datetime | None:
    return datetime.fromtimestamp(int(seconds), tz=UTC) if seconds else None


def as_dict(answer: Any) -> dict[str, Any]:
    """The SDK returns the string '{}' for a 204 (reference §7.2); everything else is a dict."""
    if isinstance(answer, str):
        answer = json.loads(answer or "{}")
    return answer if isinstance(answer, dict) else {"items": answer}


def gateway_ids(answer: dict[str, Any]) -> dict[str, str]:
    """Ids worth finding a log row by: the entity's own id and the ids it points to."""
    ids = {}
    if answer.get("entity") and answer.get("id"):
        ids[str(answer["entity"])] = str(answer["id"])
    for key in ("order_id", "payment_id", "fund_account_id", "contact_id", "utr"):
        if answer.get(key):
            ids[key] = str(answer[key])
    return ids


def payout_failure(data: dict[str, Any]) -> dict[str, str]:
    """failure_code / failure_reason of a payout that did not go through (base.py).

    `status_details` is current; the `error` object and `failure_reason` are deprecated
    (reference §2.6) and read only for what status_details lacks. The reason is masked
    (core.redaction.redact_text): a bank's words may name the account or UPI id, and it is
    stored and shown wherever the payment is; so is a payment's, below.
    """
    if data.get("status") not in PAYOUT_FAILURES:
        return {"failure_code": "", "failure_reason": ""}
    details = data.get("status_details") or {}
    legacy = data.get("error") or {}
    code = str(details.get("reason") or legacy.get("reason") or data.get("failure_reason") or "")
    reason = str(details.get("description") or legacy.get("description") or data.get("failure_reason") or "")
    return {"failure_code": code, "failure_reason": redact_text(reason or code)}


def payout_waiting(data: dict[str, Any]) -> dict[str, str]:
    """waiting_reason / waiting_code of a payout still in flight: `status_details` says why
    it is held, e.g. `low_balance` on a queued payout (reference §2.6, §2.7)."""
    if data.get("status") not in PAYOUT_IN_FLIGHT:
        return {"waiting_code": "", "waiting_reason": ""}
    details = data.get("status_details") or {}
    code = str(details.get("reason") or "")
    return {"waiting_code": code, "waiting_reason": str(details.get("description") or "") or code}


def payout_result(data: dict[str, Any]) -> PayoutResult:
    gateway_status = str(data.get("status") or "")
    return PayoutResult(
        gateway_payout_id=data["id"],
        reference_id=data.get("reference_id") or "",
        # An unknown word is treated as still in flight, so the status sync asks again.
        status=PAYOUT_STATUSES.get(gateway_status, PayoutStatus.PROCESSING),
        gateway_status=gateway_status,
        amount=rupees(data.get("amount")),
        fee=optional_rupees(data.get("fees")),
        tax=optional_rupees(data.get("tax")),
        utr=data.get("utr") or "",
        **payout_failure(data),
        **payout_waiting(data),
        # The payout entity has no time of its status (reference §2.6), only of its creation.
        said_at=from_unix(data.get("created_at")),
        raw=data,
    )


def payment_failure(data: dict[str, Any]) -> dict[str, str]:
    """failure_code / failure_reason of a failed payment (base.py). Only `failed` counts: a
    payment that failed and was then captured (late authorisation) has not failed."""
    if data.get("status") != "failed":
        return {"failure_code": "", "failure_reason": ""}
    code = str(data.get("error_reason") or data.get("error_code") or "")
    return {
        "failure_code": code,
        "failure_reason": redact_text(str(data.get("error_description") or "") or code),
    }


def payment_tax(data: dict[str, Any]) -> Decimal | None:
    # `service_tax` is the legacy name, still in the SDK's webhook fixture.
    return optional_rupees(data.get("tax", data.get("service_tax")))


def payment_result(data: dict[str, Any]) -> PaymentResult:
    gateway_status = str(data.get("status") or "")
    return PaymentResult(
        gateway_payment_id=data["id"],
        gateway_order_id=data.get("order_id") or "",
        status=PAYMENT_STATUSES.get(gateway_status, PaymentStatus.PENDING),
        gateway_status=gateway_status,
        amount=rupees(data.get("amount")),
        method=data.get("method") or "",
        fee=optional_rupees(data.get("fee")),
        tax=payment_tax(data),
        amount_refunded=rupees(data.get("amount_refunded")),
        **payment_failure(data),
        raw=data,
    )


def order_result(data: dict[str, Any], *, checkout: dict[str, Any]) -> OrderResult:
    gateway_status = str(data.get("status") or "")
    return OrderResult(
        gateway_order_id=data["id"],
        amount=rupees(data.get("amount")),
        status=ORDER_STATUSES.get(gateway_status, OrderStatus.CREATED),
        gateway_status=gateway_status,
        checkout=checkout,
        raw=data,
    )


def payment_link_result(data: dict[str, Any]) -> PaymentLinkResult:
    gateway_status = str(data.get("status") or "")
    return PaymentLinkResult(
        gateway_link_id=data["id"],
        url=data.get("short_url") or "",
        status=LINK_STATUSES.get(gateway_status, LinkStatus.CREATED),
        gateway_status=gateway_status,
        amount=rupees(data.get("amount")),
        amount_paid=rupees(data.get("amount_paid")),
        expire_by=from_unix(data.get("expire_by")),
        payment_ids=tuple(payment["payment_id"] for payment in data.get("payments") or []),
        raw=data,
    )


def refund_result(data: dict[str, Any]) -> RefundResult:
    gateway_status = str(data.get("status") or "")
    return RefundResult(
        gateway_refund_id=data["id"],
        gateway_payment_id=data.get("payment_id") or "",
        status=REFUND_STATUSES.get(gateway_status, RefundStatus.PENDING),
        gateway_status=gateway_status,
        amount=rupees(data.get("amount")),
        refund_reference=data.get("receipt") or "",
        raw=data,
    )


def settlement(data: dict[str, Any]) -> Settlement:
    return Settlement(
        settlement_id=data["id"],
        amount=rupees(data.get("amount")),
        status=str(data.get("status") or ""),
        fees=rupees(data.get("fees")),
        tax=rupees(data.get("tax")),
        utr=data.get("utr") or "",
        created_at=from_unix(data.get("created_at")),
        raw=data,
    )


def settlement_line(data: dict[str, Any]) -> SettlementLine:
    """One recon item (reference §6.2). `notes` may be a string or an object; raw keeps it."""
    return SettlementLine(
        settlement_id=data.get("settlement_id") or "",
        settlement_utr=data.get("settlement_utr") or "",
        entity_id=data.get("entity_id") or "",
        entity_type=data.get("type") or "",
        order_id=data.get("order_id") or "",
        reference=data.get("order_receipt") or "",
        amount=rupees(data.get("amount")),
        fee=rupees(data.get("fee")),
        tax=rupees(data.get("tax")),
        credit=rupees(data.get("credit")),
        debit=rupees(data.get("debit")),
        settled_at=from_unix(data.get("settled_at")),
        raw=data,
        transacted_at=from_unix(data.get("created_at")),
        notes=notes_text(data.get("notes")),
    )


def notes_text(notes: Any) -> str:
    """Recon `notes` is a string in the samples and an object in the docs (reference §6.2):
    an object becomes its values joined by spaces, an empty one ("{}") nothing."""
    if isinstance(notes, str):
        try:
            notes = json.loads(notes)
        except ValueError:
            return notes.strip()
    if isinstance(notes, dict):
        return " ".join(str(value) for value in notes.values() if value not in (None, ""))
    return "" if notes is None else str(notes)
