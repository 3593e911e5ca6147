"""failure_code (the gateway's machine code) and failure_reason (its description, for staff)
on Razorpay payouts and payments (base.py; reference §2.6, §3.2); and waiting_code /
waiting_reason, why a payout still in flight is held."""

from decimal import Decimal

import pytest
import responses

from skinspire.gateways.providers.interface import PaymentStatus, PayoutStatus
from skinspire.gateways.tests.test_razorpay_support import BASE, make_provider, payout_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


REJECTED = "Payout failed as the beneficiary bank rejected the transaction."


@pytest.mark.parametrize(
    ("fields", "failure"),
    [
        (
            {
                "status_details": {
                    "reason": "beneficiary_bank_rejected",
                    "description": REJECTED,
                    "source": "bank",
                }
            },
            ("beneficiary_bank_rejected", REJECTED),
        ),
        # A code without a description: staff read the code.
        (
            {"status_details": {"reason": "bank_account_closed", "description": None, "source": None}},
            ("bank_account_closed", "bank_account_closed"),
        ),
        # The deprecated fields, read only for what status_details lacks (reference §2.6).
        (
            {
                "status_details": None,
                "error": {"reason": "invalid_ifsc", "description": "IFSC is invalid", "source": "bank"},
            },
            ("invalid_ifsc", "IFSC is invalid"),
        ),
        ({"status_details": None, "failure_reason": "Payout failed"}, ("Payout failed", "Payout failed")),
    ],
)
@responses.activate
def test_failure_code_is_status_details_reason_and_failure_reason_its_description(provider, fields, failure):
    responses.get(f"{BASE}/v1/payouts/pout_1", json=payout_entity(status="reversed", **fields))

    result = provider.fetch_payout(gateway_payout_id="pout_1")

    assert (result.status, result.failure_code, result.failure_reason) == (PayoutStatus.REVERSED, *failure)


@responses.activate
def test_a_payout_that_did_not_fail_has_no_failure_fields_even_with_status_details(provider):
    details = {
        "reason": "payout_processed",
        "description": "Payout is processed",
        "source": "beneficiary_bank",
    }
    responses.get(f"{BASE}/v1/payouts/pout_1", json=payout_entity(status="processed", status_details=details))

    result = provider.fetch_payout(gateway_payout_id="pout_1")

    assert (result.status, result.failure_code, result.failure_reason) == (PayoutStatus.PROCESSED, "", "")


def payment_entity(**overrides) -> dict:
    entity = {"id": "pay_1", "entity": "payment", "amount": 150000, "status": "failed", "order_id": "order_1",
              "method": "upi", "error_code": "BAD_REQUEST_ERROR", "error_source": "customer",
              "error_step": "payment_authorization", "error_reason": "payment_cancelled",
              "error_description": "Payment was cancelled by the customer", "created_at": 300}  # fmt: skip
    return {**entity, **overrides}


@pytest.mark.parametrize(
    ("fields", "failure"),
    [
        ({}, ("payment_cancelled", "Payment was cancelled by the customer")),
        ({"error_reason": None}, ("BAD_REQUEST_ERROR", "Payment was cancelled by the customer")),
        ({"error_description": None}, ("payment_cancelled", "payment_cancelled")),
    ],
)
@responses.activate
def test_failed_payment_failure_code_is_error_reason_and_failure_reason_error_description(
    provider, fields, failure
):
    responses.get(f"{BASE}/v1/payments/pay_1", json=payment_entity(**fields))

    result = provider.fetch_payment(gateway_payment_id="pay_1")

    assert (result.status, result.amount) == (PaymentStatus.FAILED, Decimal("1500.00"))
    assert (result.failure_code, result.failure_reason) == failure


@responses.activate
def test_a_captured_payment_has_no_failure_fields_even_if_an_error_lingers(provider):
    # A failed authorisation later captured (late auth, reference §4.4) has not failed.
    responses.get(f"{BASE}/v1/payments/pay_1", json=payment_entity(status="captured"))

    result = provider.fetch_payment(gateway_payment_id="pay_1")

    assert (result.status, result.failure_code, result.failure_reason) == (PaymentStatus.CAPTURED, "", "")


LOW_BALANCE = "Payout is queued as there is insufficient balance to process it."


@pytest.mark.parametrize(
    ("status", "details", "waiting"),
    [
        # queue_if_low_balance: held, with the reason (reference §2.7).
        (
            "queued",
            {"reason": "low_balance", "description": LOW_BALANCE, "source": "business"},
            ("low_balance", LOW_BALANCE),
        ),
        ("processing", {"reason": None, "description": None, "source": None}, ("", "")),
        ("pending", None, ("", "")),
        # Ended: the reason is a failure's, never a wait's.
        (
            "failed",
            {
                "reason": "insufficient_funds",
                "description": "Payout failed as there is insufficient balance in your account.",
                "source": "business",
            },
            ("", ""),
        ),
        (
            "processed",
            {
                "reason": "payout_processed",
                "description": "Payout is processed",
                "source": "beneficiary_bank",
            },
            ("", ""),
        ),
    ],
)
@responses.activate
def test_a_payout_in_flight_says_why_the_gateway_holds_it(provider, status, details, waiting):
    responses.get(f"{BASE}/v1/payouts/pout_1", json=payout_entity(status=status, status_details=details))

    result = provider.fetch_payout(gateway_payout_id="pout_1")

    assert (result.waiting_code, result.waiting_reason) == waiting
