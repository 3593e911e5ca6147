"""Magic values: inputs that make the sandbox take a failure path on purpose.

Documented in docs/sandbox-razorpay.md and on the sandbox index page; keep the three in step.
"""

# Payouts (amounts in paise).
PAYOUT_AMOUNT_INSUFFICIENT_FUNDS = 111111  # ₹1,111.11: failed insufficient_funds (or queued)
PAYOUT_AMOUNT_STAYS_PROCESSING = 222222  # ₹2,222.22: never leaves processing
PAYOUT_ACCOUNT_SUFFIX_REJECTED = "0000"  # beneficiary account ...0000: failed at the bank
PAYOUT_ACCOUNT_SUFFIX_REVERSED = "9999"  # beneficiary account ...9999: processed, then reversed
PAYOUT_VPA_REJECTED = "failure@razorpay"  # Razorpay's own failing test VPA
# reference_id starting with this: the payout is created, but the API answers 504 so the
# caller sees an unknown outcome; a retry with the same idempotency key returns the payout.
PAYOUT_REFERENCE_TIMEOUT_PREFIX = "TIMEOUT"

# Collections.
CHECKOUT_VPA_FAILURE = "failure@razorpay"  # a UPI payment with this VPA fails


def payout_beneficiary_rejected(*, fund_account: dict) -> bool:
    if fund_account.get("account_type") == "vpa":
        return fund_account["vpa"]["address"] == PAYOUT_VPA_REJECTED
    return fund_account["bank_account"]["account_number"].endswith(PAYOUT_ACCOUNT_SUFFIX_REJECTED)


def payout_reverses_after_processing(*, fund_account: dict) -> bool:
    if fund_account.get("account_type") != "bank_account":
        return False
    return fund_account["bank_account"]["account_number"].endswith(PAYOUT_ACCOUNT_SUFFIX_REVERSED)
