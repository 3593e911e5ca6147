"""Payouts (bank/UPI transfers): ACCEPTED → PENDING → SUCCESS (rrn) or FAILURE; a SUCCESS
may later be reversed (FAILURE DE_685, FRESH_REVERSAL). Every step sends the callback.

Fee: a flat commission per payout plus 18% GST on it, debited with the amount from the
merchant's payouts balance on acceptance and returned if the payout fails or reverses.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from skinspire.core.money import TWO_PLACES, rupees_to_paise
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids, magic, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import outbound, settlements
from skinspire.sandbox.paytm.services.payout_validation import Transfer, transfer_from
from skinspire.sandbox.paytm.services.scheduling import schedule_step

COMMISSION = Decimal("5.00")
TAX = (COMMISSION * settlements.GST_RATE).quantize(TWO_PLACES)  # 0.90
# Paytm's code for a repeated orderId is unpublished (reference §5.2); this one is ours.
DUPLICATE_ORDER = ("DE_602", "Duplicate order id")
STATES = {
    "ACCEPTED": ("ACCEPTED", "DE_002", "Request accepted"),
    "PENDING": ("PENDING", "DE_101", "Your request is in process. Kindly check after sometime"),
    "SUCCESS": ("SUCCESS", "DE_001", "Successful disbursal to Bank Account is done"),
    "INSUFFICIENT_BALANCE": ("FAILURE", "DE_1004", "Insufficient wallet balance"),
    # The bank's rejection code is not published; DE_111 appears in third-party handling code.
    "BANK_REJECTED": ("FAILURE", "DE_111", "Beneficiary bank rejected the transfer"),
    "REVERSED": ("FAILURE", "DE_685", "Fresh reversal"),
}
# The lifecycle, as a transition table: (current state, planned outcome) → next state.
TRANSITIONS = {
    ("ACCEPTED", "success"): "PENDING",
    ("ACCEPTED", "reversal"): "PENDING",
    ("ACCEPTED", "insufficient_balance"): "PENDING",
    ("ACCEPTED", "bank_rejected"): "PENDING",
    ("PENDING", "success"): "SUCCESS",
    ("PENDING", "reversal"): "SUCCESS",
    ("PENDING", "insufficient_balance"): "INSUFFICIENT_BALANCE",
    ("PENDING", "bank_rejected"): "BANK_REJECTED",
    ("SUCCESS", "reversal"): "REVERSED",
}
MONEY_RETURNED = {"INSUFFICIENT_BALANCE", "BANK_REJECTED", "REVERSED"}


def _body(*, merchant: SandboxMerchant, transfer: Transfer, state: str, outcome: str, debited: int) -> dict:
    status, code, message = STATES[state]
    return {
        "status": status,
        "statusCode": code,
        "statusMessage": message,
        "result": {
            "mid": merchant.key_id,
            "orderId": transfer.order_id,
            "paytmOrderId": ids.paytm_payout_order_id(),
            "amount": f"{transfer.amount:.2f}",
            "commissionAmount": f"{COMMISSION:.2f}",
            "tax": f"{TAX:.2f}",
            "rrn": None,
            "beneficiaryName": transfer.beneficiary_name or None,
            "isCachedData": None,
            "cachedTime": None,
            "reversalReason": None,
        },
        "_sandbox": {
            "outcome": outcome,
            "callbackUrl": transfer.callback_url,
            "transferMode": transfer.transfer_mode,
            "debitedPaise": debited,
        },
    }


def paytm_payout_create(*, merchant: SandboxMerchant, body: dict) -> SandboxObject:
    """Bank/UPI transfer: validate, debit amount + fee, answer ACCEPTED (or DE_1004 at once)."""
    transfer = transfer_from(merchant=merchant, body=body)
    if selectors.object_by_key(merchant=merchant, entity=selectors.PAYOUT, key=transfer.order_id):
        raise PaytmRejected(*DUPLICATE_ORDER)
    outcome = magic.payout_outcome(amount=transfer.amount, account=transfer.account, vpa=transfer.vpa)
    debit = rupees_to_paise(transfer.amount + COMMISSION + TAX)
    try:
        with transaction.atomic():
            # A conditional UPDATE: the balance check and the debit are one statement.
            debited = SandboxMerchant.objects.filter(pk=merchant.pk, balance_paise__gte=debit).update(
                balance_paise=F("balance_paise") - debit
            )
            state = "ACCEPTED" if debited else "INSUFFICIENT_BALANCE"
            payout_body = _body(
                merchant=merchant,
                transfer=transfer,
                state=state,
                outcome=outcome,
                debited=debit if debited else 0,
            )
            payout = SandboxObject.objects.create(
                merchant=merchant,
                entity=selectors.PAYOUT,
                object_id=payout_body["result"]["paytmOrderId"],
                status=state,
                idempotency_key=transfer.order_id,
                body=payout_body,
            )
    except IntegrityError as error:  # a concurrent request with the same orderId won
        raise PaytmRejected(*DUPLICATE_ORDER) from error
    if state == "ACCEPTED":
        schedule_step(task_name="sandbox_paytm_payout_advance", object_id=payout.object_id)
    return payout


def paytm_payout_advance(*, object_id: str) -> SandboxObject:
    """Move the payout one step along its lifecycle, send the callback, schedule the next."""
    with transaction.atomic():
        payout = SandboxObject.objects.select_for_update().get(entity=selectors.PAYOUT, object_id=object_id)
        outcome = payout.body["_sandbox"]["outcome"]
        target = TRANSITIONS.get((payout.status, outcome))
        if target is None:
            return payout  # final (or a repeated task): nothing moves backwards
        _apply(payout=payout, state=target)
        outbound.payout_callback(
            merchant=payout.merchant,
            body=selectors.public(payout.body),
            callback_url=payout.body["_sandbox"]["callbackUrl"],
        )
    if (target, outcome) in TRANSITIONS:
        schedule_step(task_name="sandbox_paytm_payout_advance", object_id=object_id)
    return payout


def _apply(*, payout: SandboxObject, state: str) -> None:
    status, code, message = STATES[state]
    payout.status = state
    payout.body.update(status=status, statusCode=code, statusMessage=message)
    if state == "SUCCESS":
        payout.body["result"]["rrn"] = ids.rrn()
    if state == "REVERSED":
        payout.body["result"]["reversalReason"] = "FRESH_REVERSAL"
    if state in MONEY_RETURNED:
        SandboxMerchant.objects.filter(pk=payout.merchant_id).update(
            balance_paise=F("balance_paise") + payout.body["_sandbox"]["debitedPaise"]
        )
    payout.save(update_fields=["status", "body", "updated_at"])
