"""The RazorpayX account statement: one `transaction` per movement of the balance (reference §6.3).

A payout that starts processing debits `amount + fees` (the fees include GST; §2.6, derived
from Razorpay's transaction sample); a payout that fails after that, or is reversed, is
credited back the same through a `reversal` (§2.7). `amount` is the payout amount without
fees, as https://razorpay.com/docs/api/x/transactions/ defines it; `balance` is the balance
after the line. The reversal source's shape is not published (assumed; docs/sandbox-razorpay.md).
"""

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.services import sandbox_object_create


def _balance(*, merchant_id: int) -> int:
    # Read after this transaction's UPDATE of the balance: the row stays locked until commit,
    # so the value is this movement's result, not another payout's.
    return SandboxMerchant.objects.values_list("balance_paise", flat=True).get(pk=merchant_id)


def _record(*, payout: SandboxObject, debit: int, credit: int, source: dict) -> SandboxObject:
    merchant = SandboxMerchant.objects.get(pk=payout.merchant_id)
    body = {
        "id": object_id_new(prefix="txn"),
        "entity": "transaction",
        "account_number": merchant.account_number,
        "amount": payout.body["amount"],
        "currency": payout.body["currency"],
        "credit": credit,
        "debit": debit,
        "balance": _balance(merchant_id=merchant.pk),
        "source": source,
        "created_at": now_unix(),
    }
    return sandbox_object_create(
        merchant=merchant, entity="transaction", body=body, parent_id=payout.object_id
    )


def transaction_payout_debit(*, payout: SandboxObject) -> SandboxObject:
    """The payout left the balance with its fees (the payout is expanded when read)."""
    total = payout.body["amount"] + payout.body["fees"]
    return _record(payout=payout, debit=total, credit=0, source={"id": payout.object_id, "entity": "payout"})


def transaction_payout_reversal(*, payout: SandboxObject) -> SandboxObject:
    """The payout's amount and fees came back to the balance."""
    total = payout.body["amount"] + payout.body["fees"]
    source = {
        "id": object_id_new(prefix="rvrsl"),
        "entity": "reversal",
        "payout_id": payout.object_id,
        "amount": payout.body["amount"],
        "fee": payout.body["fees"],
        "tax": payout.body["tax"],
        "currency": payout.body["currency"],
        "utr": payout.body["utr"],
        "created_at": now_unix(),
    }
    return _record(payout=payout, debit=0, credit=total, source=source)
