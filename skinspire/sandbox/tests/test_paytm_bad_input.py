"""Bad input to the Paytm sandbox is a failure in Paytm's own shape (HTTP 200), writing nothing.

Each case here was a 500 found by fuzzing (test_paytm_bad_input_fuzz.py).
"""

import json

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, SUBWALLET, payout_post, pg_post

PREFIX = testing.PREFIX


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create()


def result_of(response) -> tuple[str, str, str]:
    assert response.status_code == 200, response.content
    result = json.loads(response.content)["body"]["resultInfo"]
    message = result.get("resultMsg") or result.get("resultMessage")
    return result["resultStatus"], result["resultCode"], message


def link_body(**overrides) -> dict:
    return {"mid": MID, "linkType": "FIXED", "linkName": "Bill 7", "linkDescription": "OPD bill", "amount": 500,
            **overrides}  # fmt: skip


@pytest.mark.parametrize(
    "overrides",
    [
        {"linkType": {"a": 1}},
        {"linkType": ["FIXED"]},
        {"linkName": {"a": 1}},
        {"linkDescription": ["OPD"]},
        {"maxPaymentsAllowed": "²"},
        {"amount": "1e30"},
    ],
)
def test_a_link_with_a_field_of_the_wrong_type_or_range_fails_and_creates_nothing(
    client, merchant, overrides
):
    response = pg_post(client, "/link/create", link_body(**overrides))

    assert result_of(response) == ("FAILED", "400", "Invalid request parameters")
    assert not SandboxObject.objects.exists()


def initiate_body(**overrides) -> dict:
    return {"requestType": "Payment", "mid": MID, "orderId": "ORDER_7",
            "txnAmount": {"value": "100.00", "currency": "INR"}, "userInfo": {"custId": "P7"}, **overrides}  # fmt: skip


@pytest.mark.parametrize(
    "overrides",
    [
        {"txnAmount": {"value": "1e30", "currency": "INR"}},
        {"txnAmount": {"value": "9" * 40, "currency": "INR"}},
        {"userInfo": {"custId": "P\ud800"}},
        {"userInfo": {"custId": "P\x007"}},
    ],
)
def test_an_order_with_an_amount_out_of_range_or_unstorable_text_fails_and_creates_nothing(
    client, merchant, overrides
):
    response = pg_post(client, "/theia/api/v1/initiateTransaction", initiate_body(**overrides))

    assert result_of(response) == ("F", "1001", "Request parameters are not valid")
    assert not SandboxObject.objects.exists()


def test_a_body_nested_1000_deep_fails_as_a_malformed_request(client, merchant):
    text = '{"head":{},"body":{"mid":"' + MID + '","orderId":' + "[" * 1000 + "]" * 1000 + "}}"

    response = client.post(PREFIX + "/v3/order/status", data=text, content_type="application/json")

    assert result_of(response) == ("TXN_FAILURE", "501", "System Error")


def test_a_payout_of_1e30_rupees_fails_with_the_amount_code(client, merchant):
    body = {"subwalletGuid": SUBWALLET, "orderId": "PAYOUT_7", "amount": "1e30", "purpose": "OTHERS",
            "beneficiaryAccount": "123456789012", "beneficiaryIFSC": "HDFC0000053"}  # fmt: skip

    response = payout_post(client, "/bpay/api/v1/disburse/order/bank", body)

    assert json.loads(response.content) == {
        "status": "FAILURE",
        "statusCode": "DE_012",
        "statusMessage": "Amount should be positive and can have at most 2 decimal places",
        "result": None,
    }
    assert not SandboxObject.objects.exists()


def test_nul_in_the_url_is_the_family_s_malformed_failure_in_paytm_s_shape(client, merchant):
    body = json.dumps({"orderId": "PAYOUT_7"})
    headers = {"x-mid": MID, "x-checksum": PaytmChecksum.generateSignature(body, MERCHANT_KEY)}

    initiate = pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId=%00", initiate_body())
    payout = client.post(
        PREFIX + "/bpay/api/v1/disburse/order/query?x=%00",
        data=body,
        content_type="application/json",
        headers=headers,
    )

    assert result_of(initiate) == ("F", "1001", "Request parameters are not valid")
    assert json.loads(payout.content) == {
        "status": "FAILURE",
        "statusCode": "DE_011",
        "statusMessage": "Invalid parameter value",
        "result": None,
    }
    assert not SandboxObject.objects.exists()
