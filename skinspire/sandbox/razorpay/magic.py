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


# Fund account validation (penny drop / VPA check).
VALIDATION_ACCOUNT_SUFFIX_INVALID = "0000"  # completed, results.account_status "invalid"
VALIDATION_ACCOUNT_SUFFIX_NAME_MISMATCH = "1111"  # completed, active, another registered_name
VALIDATION_ACCOUNT_SUFFIX_FAILED = "2222"  # failed: the beneficiary bank did not answer
VALIDATION_REGISTERED_NAME_MISMATCH = "RAVI KUMAR SHARMA"  # the name the bank returns for ...1111
VALIDATION_VPA_INVALID = "failure@razorpay"  # completed, results.account_status "invalid"


def validation_outcome(*, fund_account: dict) -> str:
    """What the bank (or the UPI network) answers: active, name_mismatch, invalid or failed."""
    if fund_account["account_type"] == "vpa":
        return "invalid" if fund_account["vpa"]["address"] == VALIDATION_VPA_INVALID else "active"
    number = fund_account["bank_account"]["account_number"]
    for suffix, outcome in (
        (VALIDATION_ACCOUNT_SUFFIX_INVALID, "invalid"),
        (VALIDATION_ACCOUNT_SUFFIX_NAME_MISMATCH, "name_mismatch"),
        (VALIDATION_ACCOUNT_SUFFIX_FAILED, "failed"),
    ):
        if number.endswith(suffix):
            return outcome
    return "active"
