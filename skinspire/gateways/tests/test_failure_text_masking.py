"""A gateway's failure text is masked before it is kept: a bank's words may name the account
number or UPI id ("Beneficiary account 50100012345678 is closed"), and the reason is stored on
the payment and shown to every role that sees it, in the API, admin, exports and e-mails."""

from skinspire.gateways.providers.interface import PayoutStatus
from skinspire.gateways.providers.paytm import mapping as paytm
from skinspire.gateways.providers.razorpay import mapping as razorpay

TEXT = "Beneficiary account 50100012345678 is closed; UPI id asha.rao@okaxis not found"
MASKED = "Beneficiary account XXXX5678 is closed; UPI id as***@okaxis not found"


def test_a_razorpay_payouts_failure_text_is_masked():
    data = {
        "status": "failed",
        "status_details": {"reason": "beneficiary_bank_rejected", "description": TEXT},
    }

    assert razorpay.payout_failure(data) == {
        "failure_code": "beneficiary_bank_rejected",
        "failure_reason": MASKED,
    }


def test_a_razorpay_payments_failure_text_is_masked():
    data = {"status": "failed", "error_reason": "payment_failed", "error_description": TEXT}

    assert razorpay.payment_failure(data) == {"failure_code": "payment_failed", "failure_reason": MASKED}


def test_a_paytm_failure_message_is_masked():
    document = {"status": "FAILURE", "statusCode": "DE_040", "statusMessage": TEXT, "result": {}}

    assert paytm.payout_failure(document, status=PayoutStatus.FAILED) == {
        "failure_code": "DE_040",
        "failure_reason": MASKED,
    }
