"""RazorpayX fund account validation (reference §2.8): POST /v1/fund_accounts/validations,
GET /v1/fund_accounts/validations[/:id].

A validation is `created` with empty `results`; one step later (a task run
SANDBOX_STEP_SECONDS after commit) it is `completed`, with `results.account_status` active or
invalid and the `registered_name` the bank (or UPI network) returns, or `failed` when the bank
does not answer; `fund_account.validation.completed` / `.failed` is sent. A bank account's
penny drop that reached the account carries the credit's `utr`. Magic account numbers pick
the outcome (magic.py). Razorpay offers validation in live mode only; the sandbox offers it
so the flow can be tested.
"""

from django.conf import settings
from django.db import transaction

from skinspire.sandbox.ids import object_id_new, utr_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import magic, validation
from skinspire.sandbox.razorpay.errors import payout_invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import (
    account_number_check,
    now_unix,
    object_or_error,
)
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

ENTITY = "fund_account_validation"
VALIDATION_FIELDS = frozenset({"account_number", "fund_account", "amount", "currency", "notes"})
PENNY_PAISE = 100  # the default amount deposited in the account (§2.8)


def fund_account_validation_create(*, merchant: SandboxMerchant, data: dict) -> SandboxObject:
    error = payout_invalid_field
    validation.fields_allowed(data, VALIDATION_FIELDS, error=error)
    account_number_check(merchant=merchant, value=data.get("account_number"))
    reference = data.get("fund_account")
    fund_account_id = reference.get("id") if isinstance(reference, dict) else None
    if not fund_account_id:
        raise error("The fund account id field is required.", field="fund_account.id")
    fund_account = object_or_error(merchant=merchant, entity="fund_account", object_id=str(fund_account_id))
    amount = validation.amount_required(data, error=error) if data.get("amount") is not None else PENNY_PAISE
    body = {
        "id": object_id_new(prefix="fav"),
        "entity": "fund_account.validation",
        "fund_account": fund_account.body,
        "status": "created",
        "amount": amount,
        "currency": validation.currency_inr(data, required=False, error=error),
        "notes": validation.notes_optional(data, error=error),
        "results": {"account_status": None, "registered_name": None},
        "created_at": now_unix(),
        "utr": None,
    }
    created = sandbox_object_create(
        merchant=merchant, entity=ENTITY, body=body, parent_id=fund_account.object_id
    )
    transaction.on_commit(lambda: _schedule_completion(created.object_id))
    return created


def _schedule_completion(validation_id: str) -> None:
    from skinspire.sandbox.razorpay.tasks import sandbox_razorpay_fund_account_validation_complete

    sandbox_razorpay_fund_account_validation_complete.apply_async(
        args=[validation_id], countdown=settings.SANDBOX_STEP_SECONDS
    )


def fund_account_validation_complete(*, validation_id: str) -> SandboxObject:
    """created → completed | failed, with the bank's answer. Idempotent."""
    with transaction.atomic():
        found = SandboxObject.objects.select_for_update().get(entity=ENTITY, object_id=validation_id)
        if found.body["status"] != "created":
            return found
        outcome = magic.validation_outcome(fund_account=found.body["fund_account"])
        if outcome == "failed":
            found.body["status"] = "failed"
        else:
            found.body.update(status="completed", **_results(validation=found, outcome=outcome))
        sandbox_object_save(sandbox_object=found)
        event_emit(
            merchant=found.merchant,
            event=f"fund_account.validation.{found.body['status']}",
            entities={"fund_account.validation": found.body},
            object_id=found.object_id,
        )
    return found


def _results(*, validation: SandboxObject, outcome: str) -> dict:
    fund_account = validation.body["fund_account"]
    is_bank = fund_account["account_type"] == "bank_account"
    if outcome == "invalid":
        return {"results": {"account_status": "invalid", "registered_name": None}, "utr": None}
    if outcome == "name_mismatch":
        name = magic.VALIDATION_REGISTERED_NAME_MISMATCH
    elif is_bank:
        name = fund_account["bank_account"]["name"]
    else:  # the UPI network returns the VPA holder's name: the contact's, in the sandbox
        name = SandboxObject.objects.get(entity="contact", object_id=fund_account["contact_id"]).body["name"]
    return {
        "results": {"account_status": "active", "registered_name": name},
        "utr": utr_new() if is_bank else None,
    }
