"""Contract: a Paytm payout still held (ACCEPTED, QUEUED, PENDING) carries Paytm's statusCode
and statusMessage as its waiting code and reason, in the status answer and the callback
alike (reference §1.4, the captured payloads' shapes); a final one carries none."""

import json

import pytest
import responses
from paytmchecksum import PaytmChecksum

from skinspire.gateways.providers.interface import PayoutStatus
from skinspire.gateways.tests.test_paytm_payouts import QUERY_URL
from skinspire.gateways.tests.test_paytm_support import KEY, fixture, make_provider

IN_PROCESS = "Your request is in process. Kindly check after sometime"
HELD = [
    # The captured PENDING answer, as Paytm sent it.
    ("PENDING", "DE_101", IN_PROCESS, PayoutStatus.PROCESSING),
    ("ACCEPTED", "DE_002", "Request accepted", PayoutStatus.PENDING),
    # QUEUED's code is not published: a made-up one, passed through.
    ("QUEUED", "DE_QUEUED", "Queued for want of balance in the sub-wallet", PayoutStatus.PENDING),
]


def held_document(status: str, code: str, message: str) -> dict:
    """The captured PENDING status answer, saying `status`."""
    document = fixture("payout_status_response_pending")
    document.update(status=status, statusCode=code, statusMessage=message)
    return document


@pytest.mark.parametrize(("status", "code", "message", "mapped"), HELD)
@responses.activate
def test_the_status_answer_of_a_held_payout_says_why(hospital, status, code, message, mapped):
    provider = make_provider(hospital=hospital)
    document = held_document(status, code, message)
    responses.post(QUERY_URL, json=document)

    result = provider.fetch_payout(reference_id=document["result"]["orderId"])

    assert (result.status, result.waiting_code, result.waiting_reason) == (mapped, code, message)
    assert (result.failure_code, result.failure_reason) == ("", "")


@pytest.mark.parametrize(("status", "code", "message", "mapped"), HELD)
def test_the_callback_of_a_held_payout_says_why(hospital, status, code, message, mapped):
    provider = make_provider(hospital=hospital)
    raw = json.dumps(held_document(status, code, message), indent=1)
    headers = {"Content-Type": "application/json", "X-Checksum": PaytmChecksum.generateSignature(raw, KEY)}

    event = provider.parse_webhook(body=raw.encode(), headers=headers)

    assert (event.event_type, event.waiting_code, event.waiting_reason) == (f"payout.{status}", code, message)


@pytest.mark.parametrize("name", ["payout_status_response_success", "payout_reversal_webhook"])
@responses.activate
def test_a_final_payout_has_no_waiting_reason(hospital, name):
    provider = make_provider(hospital=hospital)
    document = fixture(name)
    responses.post(QUERY_URL, json=document)

    result = provider.fetch_payout(reference_id=document["result"]["orderId"])

    assert result.status in (PayoutStatus.PROCESSED, PayoutStatus.REVERSED)
    assert (result.waiting_code, result.waiting_reason) == ("", "")


@responses.activate
def test_a_held_payouts_message_is_masked(hospital):
    """Its words are shown wherever the payment is: an account number in them is masked, as
    in a failure reason (core.redaction)."""
    provider = make_provider(hospital=hospital)
    document = held_document("QUEUED", "DE_QUEUED", "Beneficiary account 50100012345678 is being verified")
    responses.post(QUERY_URL, json=document)

    result = provider.fetch_payout(reference_id=document["result"]["orderId"])

    assert result.waiting_reason == "Beneficiary account XXXX5678 is being verified"
