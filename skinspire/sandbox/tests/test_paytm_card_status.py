"""Paytm's order status for a card payment carries the issuer's authRefId (fixture
pg_order_status_response_txn_success.json); other methods and failed cards do not."""

import json

import pytest

from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import MID, pg_post


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create()


def _paid_status(client, order_id: str, *, method: str, outcome: str = "success") -> dict:
    body = {"requestType": "Payment", "mid": MID, "orderId": order_id,
            "txnAmount": {"value": "100.00", "currency": "INR"}, "userInfo": {"custId": "P1"}}  # fmt: skip
    pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId={order_id}", body)
    testing.checkout_pay(client, order_id=order_id, method=method, outcome=outcome)
    return json.loads(pg_post(client, "/v3/order/status", {"mid": MID, "orderId": order_id}).content)["body"]


def test_a_card_payment_has_an_eight_digit_auth_ref_id(client, merchant):
    status = _paid_status(client, "ORDER_CARD_1", method="card")

    assert (status["paymentMode"], status["resultInfo"]["resultStatus"]) == ("DC", "TXN_SUCCESS")
    assert len(status["authRefId"]) == 8 and status["authRefId"].isdigit()


@pytest.mark.parametrize(
    ("method", "outcome"), [("upi", "success"), ("netbanking", "success"), ("card", "failure")]
)
def test_no_auth_ref_id_without_a_card_authorisation(client, merchant, method, outcome):
    assert "authRefId" not in _paid_status(
        client, f"ORDER_{method}_{outcome}", method=method, outcome=outcome
    )
