"""RazorpayX payouts: POST/GET /v1/payouts and cancel (reference §2.3–§2.5).

Creating a payout needs `X-Payout-Idempotency`; the same key and body return the same
payout, a different body under the key is rejected. A new payout starts at once
(processing, or queued/failed on low balance); `payout_lifecycle` moves it on from there.
"""

import re

from django.db import IntegrityError, transaction

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import RazorpayApiError, payout_invalid_field
from skinspire.sandbox.razorpay.services import payout_lifecycle
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.sandbox.razorpay.services.contacts import contact_create, fund_account_create
from skinspire.sandbox.razorpay.services.idempotency import replay_or_none, request_hash
from skinspire.sandbox.services import sandbox_object_create

IDEMPOTENCY_HEADER = "X-Payout-Idempotency"
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\- ]{4,36}$")
MODES = {"bank_account": {"NEFT", "RTGS", "IMPS"}, "vpa": {"UPI"}}
PURPOSES = {"refund", "cashback", "payout", "salary", "utility bill", "vendor bill"}
NARRATION_PATTERN = re.compile(r"^[a-zA-Z0-9 ]{0,30}$")
# https://razorpay.com/docs/api/x/payouts/create/bank-account/ (fund_account: the composite form).
PAYOUT_FIELDS = frozenset(
    {"account_number", "fund_account_id", "fund_account", "amount", "currency", "mode", "purpose",
     "queue_if_low_balance", "reference_id", "narration", "notes"}
)  # fmt: skip
# The exact body Razorpay sends for a missing header (reference §2.4; the description's
# tail after "missing" is not published in full).
MISSING_KEY_DESCRIPTION = "Idempotency key is missing"


def payout_create(
    *, merchant: SandboxMerchant, data: dict, idempotency_key: str
) -> tuple[SandboxObject, bool]:
    """(payout, created). `created` is False when the key replays an earlier payout."""
    if not idempotency_key:
        raise RazorpayApiError(MISSING_KEY_DESCRIPTION, field=IDEMPOTENCY_HEADER, step=None, reason="null")
    if not IDEMPOTENCY_KEY_PATTERN.match(idempotency_key):
        raise payout_invalid_field("The idempotency key format is invalid.", field=IDEMPOTENCY_HEADER)
    body_hash = request_hash(data=data)
    replayed = replay_or_none(
        merchant=merchant, entity="payout", key=idempotency_key, body_hash=body_hash, step="NA"
    )
    if replayed is not None:
        return replayed, False
    fields = _payout_fields(merchant=merchant, data=data)
    try:
        with transaction.atomic():
            fund_account = _fund_account(merchant=merchant, data=data)
            if fields["mode"] not in MODES[fund_account.body["account_type"]]:
                raise payout_invalid_field("The selected mode is invalid.", field="mode")
            payout = sandbox_object_create(
                merchant=merchant,
                entity="payout",
                body=_payout_body(fields=fields, fund_account=fund_account),
                parent_id=fund_account.object_id,
                idempotency_key=idempotency_key,
                request_hash=body_hash,
                meta={
                    "queue_if_low_balance": fields["queue_if_low_balance"],
                    "fund_account": fund_account.body,
                },
            )
            payout_lifecycle.payout_start(payout=payout)
    except IntegrityError:
        # The same key arrived twice at once: the winner's payout is the answer.
        replayed = replay_or_none(
            merchant=merchant, entity="payout", key=idempotency_key, body_hash=body_hash, step="NA"
        )
        if replayed is None:
            raise
        return replayed, False
    payout_lifecycle.payout_schedule_next(payout=payout)
    return payout, True


def _payout_fields(*, merchant: SandboxMerchant, data: dict) -> dict:
    error = payout_invalid_field
    validation.fields_allowed(data, PAYOUT_FIELDS, error=error)
    account_number = data.get("account_number")
    if not account_number:
        raise error("The account number field is required.", field="account_number")
    if str(account_number) != merchant.account_number:
        raise error("The account number is invalid.", field="account_number")
    narration = validation.string_optional(data, "narration", max_length=30, error=error)
    if narration and not NARRATION_PATTERN.match(narration):
        raise error("The narration format is invalid.", field="narration")
    return {
        "amount": validation.amount_required(data, error=error),
        "currency": validation.currency_inr(data, error=error),
        "mode": validation.choice_required(
            data, "mode", choices=MODES["bank_account"] | MODES["vpa"], error=error
        ),
        "purpose": validation.choice_required(data, "purpose", choices=PURPOSES, error=error),
        "queue_if_low_balance": validation.boolean_optional(
            data, "queue_if_low_balance", default=False, error=error
        ),
        "reference_id": validation.string_optional(data, "reference_id", max_length=40, error=error),
        "narration": narration,
        "notes": validation.notes_optional(data, error=error),
    }


def _fund_account(*, merchant: SandboxMerchant, data: dict) -> SandboxObject:
    if data.get("fund_account_id"):
        return object_or_error(merchant=merchant, entity="fund_account", object_id=data["fund_account_id"])
    composite = data.get("fund_account")
    if not isinstance(composite, dict) or not isinstance(composite.get("contact"), dict):
        raise payout_invalid_field("The fund account id field is required.", field="fund_account_id")
    contact = contact_create(merchant=merchant, data=composite["contact"])
    details = {key: value for key, value in composite.items() if key != "contact"}
    return fund_account_create(merchant=merchant, data={**details, "contact_id": contact.object_id})


def _payout_body(*, fields: dict, fund_account: SandboxObject) -> dict:
    return {
        "id": object_id_new(prefix="pout"),
        "entity": "payout",
        "fund_account_id": fund_account.object_id,
        "amount": fields["amount"],
        "currency": fields["currency"],
        "notes": fields["notes"],
        "fees": 0,
        "tax": 0,
        "status": "queued",
        "purpose": fields["purpose"],
        "utr": None,
        "mode": fields["mode"],
        "reference_id": fields["reference_id"],
        "narration": fields["narration"],
        "batch_id": None,
        "failure_reason": None,
        "status_details": {"description": None, "source": None, "reason": None},
        "fee_type": "",
        "created_at": now_unix(),
    }


def payout_cancel(*, merchant: SandboxMerchant, payout_id: str) -> SandboxObject:
    with transaction.atomic():
        payout = object_or_error(merchant=merchant, entity="payout", object_id=payout_id, for_update=True)
        if payout.body["status"] != "queued":
            raise payout_invalid_field("Only queued payouts can be cancelled", field=None)
        payout_lifecycle.payout_cancel_apply(payout=payout)
    return payout
