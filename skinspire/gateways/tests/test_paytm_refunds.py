import json
from decimal import Decimal

import pytest
import responses

from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import RefundRequest, RefundStatus
from skinspire.gateways.tests.test_paytm_support import (
    BASE,
    MID,
    fixture,
    make_provider,
    sent_envelope,
    signed_envelope,
    verifies,
)

APPLY_URL = f"{BASE}/refund/apply"
STATUS_URL = f"{BASE}/v2/refund/status"
ORDER_STATUS_URL = f"{BASE}/v3/order/status"


def refund_request(**overrides):
    fields = {
        "gateway_payment_id": "PAYTM_TRANSACTION_ID",
        "gateway_order_id": "YOUR_ORDER_ID",
        "refund_reference": "UNIQUE_REFUND_ID",
        "amount": Decimal("1.00"),
    }
    return RefundRequest(**{**fields, **overrides})


@responses.activate
def test_create_refund_sends_the_documented_body_and_reads_pending(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(APPLY_URL, body=signed_envelope(fixture("refund_apply_response_pending")["body"]))

    result = provider.create_refund(refund_request())

    head, body_text, _ = sent_envelope(responses.calls[0])
    assert body_text == (
        f'{{"mid":"{MID}","txnType":"REFUND","orderId":"YOUR_ORDER_ID","txnId":"PAYTM_TRANSACTION_ID",'
        '"refId":"UNIQUE_REFUND_ID","refundAmount":"1.00"}'
    )
    assert verifies(body_text, head["signature"])
    assert (result.status, result.gateway_status, result.amount) == (
        RefundStatus.PENDING,
        "PENDING",
        Decimal("1.00"),
    )
    assert (result.gateway_refund_id, result.refund_reference) == ("PAYTM_REFUND_ID", "UNIQUE_REFUND_ID")
    assert GatewayTransactionLog.objects.get().gateway_ids == {"refund_id": "PAYTM_REFUND_ID"}


@responses.activate
def test_a_full_refund_refunds_what_is_left_of_the_payment(hospital):
    provider = make_provider(hospital=hospital)
    status = {
        "resultInfo": {"resultStatus": "TXN_SUCCESS", "resultCode": "01"},
        "orderId": "YOUR_ORDER_ID",
        "txnId": "PAYTM_TRANSACTION_ID",
        "txnAmount": "1500.00",
        "refundAmt": "500.10",
    }
    responses.post(ORDER_STATUS_URL, body=signed_envelope(status))
    responses.post(APPLY_URL, body=signed_envelope(fixture("refund_apply_response_pending")["body"]))

    provider.create_refund(refund_request(amount=None))

    _, body_text, _ = sent_envelope(responses.calls[1])
    assert json.loads(body_text)["refundAmount"] == "999.90"


@responses.activate
def test_a_rejected_refund_is_a_definite_failure(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(APPLY_URL, body=signed_envelope(fixture("refund_apply_response_failure")["body"]))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_refund(refund_request())

    assert (caught.value.code, caught.value.provably_failed) == ("607", True)
    assert len(responses.calls) == 1


@responses.activate
def test_a_repeated_ref_id_is_answered_from_the_refund_status(hospital):
    provider = make_provider(hospital=hospital)
    already = {
        "resultInfo": {
            "resultStatus": "TXN_FAILURE",
            "resultCode": "617",
            "resultMsg": "Refund already raised",
        },
        "orderId": "YOUR_ORDER_ID",
    }
    responses.post(APPLY_URL, body=signed_envelope(already))
    responses.post(STATUS_URL, body=signed_envelope(fixture("refund_status_response_success")["body"]))

    result = provider.create_refund(refund_request())

    assert (result.status, result.gateway_refund_id, result.amount) == (
        RefundStatus.PROCESSED,
        "PAYTM_REFUND_ID",
        Decimal("1.00"),
    )


@pytest.mark.parametrize(
    ("name", "status", "refund_id"),
    [
        ("refund_status_response_success", RefundStatus.PROCESSED, "PAYTM_REFUND_ID"),
        # No refundId in this answer: our refId stands in (base.py RefundResult).
        ("refund_status_response_pending", RefundStatus.PENDING, "UNIQUE_REFUND_ID"),
    ],
)
@responses.activate
def test_fetch_refund_reads_the_status_fixtures(hospital, name, status, refund_id):
    provider = make_provider(hospital=hospital)
    responses.post(STATUS_URL, body=signed_envelope(fixture(name)["body"]))

    result = provider.fetch_refund(refund_reference="UNIQUE_REFUND_ID", gateway_order_id="YOUR_ORDER_ID")

    _, body_text, _ = sent_envelope(responses.calls[0])
    assert body_text == f'{{"mid":"{MID}","orderId":"YOUR_ORDER_ID","refId":"UNIQUE_REFUND_ID"}}'
    assert result.status == status
    assert (result.gateway_refund_id, result.refund_reference) == (refund_id, "UNIQUE_REFUND_ID")
    assert (result.failure_code, result.failure_reason) == ("", "")


@responses.activate
def test_a_system_error_on_apply_is_an_unknown_outcome(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        APPLY_URL,
        body=signed_envelope(
            {"resultInfo": {"resultStatus": "PENDING", "resultCode": "501", "resultMsg": "System Error."}}
        ),
    )

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_refund(refund_request())

    assert (caught.value.retryable, caught.value.provably_failed) == (True, False)


@responses.activate
def test_a_failed_refund_carries_paytms_code_and_message(hospital):
    provider = make_provider(hospital=hospital)
    failed = {
        "resultInfo": {"resultStatus": "TXN_FAILURE", "resultCode": "627", "resultMsg": "Refund failed"},
        "orderId": "YOUR_ORDER_ID",
        "refId": "UNIQUE_REFUND_ID",
        "txnId": "PAYTM_TRANSACTION_ID",
        "refundAmount": "1.00",
    }
    responses.post(STATUS_URL, body=signed_envelope(failed))

    result = provider.fetch_refund(refund_reference="UNIQUE_REFUND_ID", gateway_order_id="YOUR_ORDER_ID")

    assert (result.status, result.failure_code, result.failure_reason) == (
        RefundStatus.FAILED,
        "627",
        "Refund failed",
    )
    # Paytm gave no refundId yet, so our refId stands in as the refund's id.
    assert (result.gateway_refund_id, result.refund_reference) == ("UNIQUE_REFUND_ID", "UNIQUE_REFUND_ID")


@responses.activate
def test_a_refund_paytm_has_no_record_of_is_not_found_never_a_failed_refund(hospital):
    # 631 "Record not found" says the refId was never raised: nothing failed, and a refund
    # marked failed on its strength could be raised again as if the first had been refused.
    provider = make_provider(hospital=hospital)
    unknown = {
        "resultInfo": {"resultStatus": "TXN_FAILURE", "resultCode": "631", "resultMsg": "Record not found"},
        "orderId": "YOUR_ORDER_ID",
        "refId": "UNIQUE_REFUND_ID",
    }
    responses.post(STATUS_URL, body=signed_envelope(unknown))

    with pytest.raises(GatewayNotFoundError) as caught:
        provider.fetch_refund(refund_reference="UNIQUE_REFUND_ID", gateway_order_id="YOUR_ORDER_ID")

    assert (caught.value.code, caught.value.gateway_message) == ("not_found", "Record not found")
