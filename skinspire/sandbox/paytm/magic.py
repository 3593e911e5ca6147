"""Magic values: inputs that make the sandbox take a failure path on purpose.

Documented in docs/sandbox-paytm.md; the same spirit as the Razorpay sandbox's.
"""

from decimal import Decimal

PAYOUT_INSUFFICIENT_BALANCE_AMOUNT = Decimal("1111.11")  # FAILURE DE_1004 while processing
PAYOUT_FAILING_ACCOUNT_SUFFIX = "0000"  # beneficiary bank rejects: FAILURE
PAYOUT_FAILING_VPA = "failure@paytm"
PAYOUT_REVERSING_ACCOUNT_SUFFIX = "9999"  # SUCCESS, then a FRESH_REVERSAL (DE_685)
ORDER_PENDING_AMOUNT = Decimal("2222.22")  # the payment stays PENDING (RESPCODE 402)


def payout_outcome(*, amount: Decimal, account: str, vpa: str) -> str:
    """What the bank will do with this payout: success, reversal or one of the failures."""
    if amount == PAYOUT_INSUFFICIENT_BALANCE_AMOUNT:
        return "insufficient_balance"
    if vpa.lower() == PAYOUT_FAILING_VPA or (account and account.endswith(PAYOUT_FAILING_ACCOUNT_SUFFIX)):
        return "bank_rejected"
    if account and account.endswith(PAYOUT_REVERSING_ACCOUNT_SUFFIX):
        return "reversal"
    return "success"
