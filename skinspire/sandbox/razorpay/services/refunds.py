"""Refunds: POST /v1/payments/:id/refund and POST /v1/refunds (reference §3.3).

A refund is created `pending` (refund.created) and processed by a task one step later
(refund.processed). It counts against the settlement of the day it was created.
"""

import re

from django.conf import settings
from django.db import IntegrityError, transaction

from skinspire.sandbox.ids import digits_new, object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error, today_iso
from skinspire.sandbox.razorpay.services.idempotency import replay_or_none, request_hash
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

REFUND_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{10,}$")
SPEEDS = {"normal", "optimum"}
# https://razorpay.com/docs/api/refunds/create-normal/ ; POST /v1/refunds adds payment_id.
REFUND_FIELDS = frozenset({"amount", "speed", "notes", "receipt"})


def refund_create(
    *, merchant: SandboxMerchant, payment_id: str, data: dict, idempotency_key: str = ""
) -> SandboxObject:
    validation.fields_allowed(data, REFUND_FIELDS)
    if idempotency_key and not REFUND_KEY_PATTERN.match(idempotency_key):
        raise invalid_field("The idempotency key is invalid.", field="X-Refund-Idempotency")
    body_hash = request_hash(data=data, scope=payment_id)
    replayed = replay_or_none(
        merchant=merchant,
        entity="refund",
        key=idempotency_key,
        body_hash=body_hash,
        step="payment_initiation",
    )
    if replayed is not None:
        return replayed
    speed = data.get("speed", "normal")
    if not isinstance(speed, str) or speed not in SPEEDS:
        raise invalid_field("The selected speed is invalid.", field="speed")
    notes = validation.notes_optional(data)
    receipt = validation.string_optional(data, "receipt", max_length=40)
    try:
        with transaction.atomic():
            refund = _refund_record(
                merchant=merchant,
                payment_id=payment_id,
                data=data,
                extras={"speed_requested": speed, "notes": notes, "receipt": receipt},
                idempotency=(idempotency_key, body_hash),
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: Razorpay answers 409.
        raise RazorpayApiError(
            "Request with the same idempotency key is in progress", status_code=409
        ) from None
    transaction.on_commit(lambda: _schedule_processing(refund.object_id))
    return refund


def _refund_record(
    *, merchant: SandboxMerchant, payment_id: str, data: dict, extras: dict, idempotency: tuple[str, str]
) -> SandboxObject:
    payment = object_or_error(merchant=merchant, entity="payment", object_id=payment_id, for_update=True)
    if payment.body["status"] not in ("captured", "refunded"):
        raise RazorpayApiError("The payment has not been captured", field="payment_id")
    refundable = payment.body["amount"] - payment.body["amount_refunded"]
    amount = validation.amount_required(data) if data.get("amount") is not None else refundable
    if refundable <= 0:
        raise RazorpayApiError("The payment has been fully refunded already")
    if amount > refundable:
        raise invalid_field("The refund amount provided is greater than amount captured", field="amount")
    refund = sandbox_object_create(
        merchant=merchant,
        entity="refund",
        body={
            "id": object_id_new(prefix="rfnd"),
            "entity": "refund",
            "amount": amount,
            "currency": payment.body["currency"],
            "payment_id": payment.object_id,
            "notes": extras["notes"],
            "receipt": extras["receipt"],
            "acquirer_data": {"arn": None},
            "created_at": now_unix(),
            "batch_id": None,
            "status": "pending",
            "speed_processed": None,
            "speed_requested": extras["speed_requested"],
        },
        parent_id=payment.object_id,
        idempotency_key=idempotency[0],
        request_hash=idempotency[1] if idempotency[0] else "",
        meta={"ledger_date": today_iso()},
    )
    payment.body["amount_refunded"] += amount
    fully = payment.body["amount_refunded"] == payment.body["amount"]
    payment.body["refund_status"] = "full" if fully else "partial"
    if fully:
        payment.body["status"] = "refunded"
    sandbox_object_save(sandbox_object=payment)
    event_emit(
        merchant=merchant,
        event="refund.created",
        entities={"refund": refund.body, "payment": payment.body},
        object_id=refund.object_id,
    )
    return refund


def _schedule_processing(refund_id: str) -> None:
    from skinspire.sandbox.razorpay.tasks import sandbox_razorpay_refund_process

    sandbox_razorpay_refund_process.apply_async(args=[refund_id], countdown=settings.SANDBOX_STEP_SECONDS)


def refund_process(*, refund_id: str) -> SandboxObject:
    """pending → processed, with the bank's ARN. Idempotent."""
    with transaction.atomic():
        refund = SandboxObject.objects.select_for_update().get(entity="refund", object_id=refund_id)
        if refund.body["status"] != "pending":
            return refund
        refund.body.update(
            status="processed", speed_processed="normal", acquirer_data={"arn": digits_new(length=14)}
        )
        sandbox_object_save(sandbox_object=refund)
        payment = SandboxObject.objects.get(entity="payment", object_id=refund.parent_id)
        event_emit(
            merchant=refund.merchant,
            event="refund.processed",
            entities={"refund": refund.body, "payment": payment.body},
            object_id=refund.object_id,
        )
    return refund
