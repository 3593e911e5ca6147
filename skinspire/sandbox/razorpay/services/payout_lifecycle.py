"""The payout state machine: queued → processing → processed | failed, processed → reversed.

Every move is one `payout_advance` step, run by a task `SANDBOX_STEP_SECONDS` after the
previous one commits (or by the admin action). Magic values (razorpay/magic.py) pick the
failure paths. Balance: a payout debits amount + fees when it starts processing; a failure
after that or a reversal credits them back (reference §2.7); each movement is a line of the
account statement (`transactions`).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F

from skinspire.sandbox.ids import utr_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import fees, magic
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.payout_link_follow import payout_link_follow_payout
from skinspire.sandbox.razorpay.services.transactions import (
    transaction_payout_debit,
    transaction_payout_reversal,
)
from skinspire.sandbox.services import sandbox_object_save

STATUS_DETAILS = {
    "low_balance": ("Payout is queued as there is insufficient balance to process it.", "business"),
    "insufficient_funds": ("Payout failed as there is insufficient balance in your account.", "business"),
    "beneficiary_bank_confirmation_pending": (
        "Confirmation of credit to the beneficiary is pending from the beneficiary bank.",
        "beneficiary_bank",
    ),
    "payout_processed": (
        "Payout is processed and the money has been credited into the beneficiary account.",
        "beneficiary_bank",
    ),
    "beneficiary_bank_rejected": (
        "Payout failed as the beneficiary bank rejected the transaction.",
        "beneficiary_bank",
    ),
    "bank_account_closed": ("Payout reversed as the beneficiary bank account is closed.", "beneficiary_bank"),
}
EVENTS = {"queued": "payout.queued", "processing": "payout.initiated", "processed": "payout.processed",
          "failed": "payout.failed", "reversed": "payout.reversed"}  # fmt: skip


def _move(*, payout: SandboxObject, status: str, reason: str | None) -> None:
    description, source = STATUS_DETAILS[reason] if reason else (None, None)
    payout.body["status"] = status
    payout.body["status_details"] = {"description": description, "source": source, "reason": reason}
    if status in ("failed", "reversed"):
        payout.body["failure_reason"] = description
    sandbox_object_save(sandbox_object=payout)
    if status in EVENTS:
        event_emit(
            merchant=payout.merchant,
            event=EVENTS[status],
            entities={"payout": payout.body},
            object_id=payout.object_id,
        )
    # A payout made by a payout link's claim moves its link along (no-op for any other).
    payout_link_follow_payout(payout=payout)


def _debit(*, payout: SandboxObject) -> bool:
    """Take amount + fees from the balance if it covers them (one conditional UPDATE)."""
    if payout.body["amount"] == magic.PAYOUT_AMOUNT_INSUFFICIENT_FUNDS:
        return False
    total_fees, tax = fees.payout_fee()
    needed = payout.body["amount"] + total_fees
    debited = SandboxMerchant.objects.filter(pk=payout.merchant_id, balance_paise__gte=needed).update(
        balance_paise=F("balance_paise") - needed
    )
    if debited:
        payout.body.update(fees=total_fees, tax=tax)
        transaction_payout_debit(payout=payout)
    return bool(debited)


def _credit_back(*, payout: SandboxObject) -> None:
    SandboxMerchant.objects.filter(pk=payout.merchant_id).update(
        balance_paise=F("balance_paise") + payout.body["amount"] + payout.body["fees"]
    )
    transaction_payout_reversal(payout=payout)


def payout_start(*, payout: SandboxObject) -> bool:
    """A new or queued payout: processing if the balance covers it, else queued or failed."""
    if _debit(payout=payout):
        stuck = payout.body["amount"] == magic.PAYOUT_AMOUNT_STAYS_PROCESSING
        _move(
            payout=payout,
            status="processing",
            reason="beneficiary_bank_confirmation_pending" if stuck else None,
        )
        return True
    if payout.meta.get("queue_if_low_balance"):
        if payout.body["status_details"]["reason"] == "low_balance":
            return False  # still queued, nothing changed
        _move(payout=payout, status="queued", reason="low_balance")
        return True
    _move(payout=payout, status="failed", reason="insufficient_funds")
    return True


def payout_advance(*, payout_id: str) -> tuple[SandboxObject, bool]:
    """Move a payout one step; (payout, whether it moved). Idempotent on end states."""
    with transaction.atomic():
        payout = (
            SandboxObject.objects.select_for_update()
            .select_related("merchant")
            .get(entity="payout", object_id=payout_id)
        )
        fund_account = payout.meta["fund_account"]
        status = payout.body["status"]
        if status == "queued":
            return payout, payout_start(payout=payout)
        if status == "processing":
            if payout.body["amount"] == magic.PAYOUT_AMOUNT_STAYS_PROCESSING:
                return payout, False
            if magic.payout_beneficiary_rejected(fund_account=fund_account):
                _credit_back(payout=payout)
                _move(payout=payout, status="failed", reason="beneficiary_bank_rejected")
                return payout, True
            payout.body["utr"] = utr_new()
            _move(payout=payout, status="processed", reason="payout_processed")
            return payout, True
        if status == "processed" and magic.payout_reverses_after_processing(fund_account=fund_account):
            _credit_back(payout=payout)
            _move(payout=payout, status="reversed", reason="bank_account_closed")
            return payout, True
    return payout, False


def payout_cancel_apply(*, payout: SandboxObject) -> None:
    # Nothing was debited while queued, so there is nothing to credit back.
    payout.body["status"] = "cancelled"
    payout.body["status_details"] = {
        "description": "Payout cancelled by the business.",
        "source": "business",
        "reason": None,
    }
    sandbox_object_save(sandbox_object=payout)


def payout_schedule_next(*, payout: SandboxObject) -> None:
    """After commit, run the next step in SANDBOX_STEP_SECONDS if there can be one."""
    status = payout.body["status"]
    reverses = magic.payout_reverses_after_processing(fund_account=payout.meta["fund_account"])
    if status != "processing" and not (status == "processed" and reverses):
        return
    from skinspire.sandbox.razorpay.tasks import sandbox_razorpay_payout_advance

    payout_id = payout.object_id
    transaction.on_commit(
        lambda: sandbox_razorpay_payout_advance.apply_async(
            args=[payout_id], countdown=settings.SANDBOX_STEP_SECONDS
        )
    )
