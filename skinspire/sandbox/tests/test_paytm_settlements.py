"""Settlement list API: T+1 rows with 2% commission and 18% GST, refunds as deductions."""

import json
from datetime import timedelta

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.paytm import ids, testing
from skinspire.sandbox.paytm.services.refunds import paytm_refund_advance
from skinspire.sandbox.paytm.services.settlements import settlement_utr
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, pg_post


def settlement_list(client, day: str, key: str = MERCHANT_KEY, page_size: str = "20"):
    params = {"MID": MID, "utrProcessedStartTime": day, "pageNum": "1", "pageSize": page_size}
    body = {**params, "checksumHash": PaytmChecksum.generateSignature(dict(params), key)}
    response = client.post(
        "/sandbox/paytm/merchant-settlement-service/settlement/list",
        data=json.dumps(body),
        content_type="application/json",
    )
    return json.loads(response.content)


@pytest.fixture
def settled(client, db):
    testing.paytm_merchant_create()
    for order_id, amount in (("ORDER_A", "1000.00"), ("ORDER_B", "333.33")):
        body = {
            "requestType": "Payment",
            "mid": MID,
            "orderId": order_id,
            "txnAmount": {"value": amount, "currency": "INR"},
            "userInfo": {"custId": "P1"},
        }
        pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId={order_id}", body)
        testing.checkout_pay(client, order_id=order_id)
    order = SandboxObject.objects.get(entity="paytm_order", idempotency_key="ORDER_A")
    refund = {"mid": MID, "txnType": "REFUND", "orderId": "ORDER_A", "txnId": order.body["txnId"], "refId": "R1",
              "refundAmount": "200.00"}  # fmt: skip
    refund_id = json.loads(pg_post(client, "/refund/apply", refund).content)["body"]["refundId"]
    paytm_refund_advance(object_id=refund_id)
    return (ids.now_ist() + timedelta(days=1)).date().isoformat()


def test_tomorrow_lists_every_row_with_fees_and_one_utr(client, settled):
    answer = settlement_list(client, settled)
    assert (answer["status"], answer["count"], answer["totalCount"], answer["paginatorTotalPage"]) == (
        "SUCCESS",
        3,
        3,
        1,
    )
    rows = answer["settlementDetailList"]
    assert [
        (r["orderId"], r["txnType"], r["txnAmount"], r["commission"], r["gst"], r["settleAmount"])
        for r in rows
    ] == [
        ("ORDER_A", "SALE", "1000.00", "20.00", "3.60", "976.40"),
        ("ORDER_B", "SALE", "333.33", "6.67", "1.20", "325.46"),
        ("ORDER_A", "REFUND", "200.00", "0.00", "0.00", "-200.00"),
    ]
    assert {r["payoutDate"] for r in rows} == {settled}
    assert {r["utr"] for r in rows} == {settlement_utr(mid=MID, payout_date=settled)}
    assert rows[0]["utrProcessedTime"] == f"{settled} 10:00:00" and rows[0]["paymentMode"] == "UPI"


def test_today_has_no_settlement_yet(client, settled):
    today = ids.now_ist().date().isoformat()
    answer = settlement_list(client, today)
    assert (answer["status"], answer["totalCount"], answer["settlementDetailList"]) == (
        "RECORD_NOT_FOUND",
        0,
        [],
    )


def test_pages(client, settled):
    answer = settlement_list(client, settled, page_size="2")
    assert (answer["count"], answer["paginatorTotalPage"], answer["paginatorPageSize"]) == (2, 2, 2)


def test_bad_checksum_is_refused(client, settled):
    answer = settlement_list(client, settled, key="WrongKey_2026xyz")
    assert answer == {
        "status": "FAILURE",
        "resultCode": "330",
        "errorMessage": "Checksum provided is invalid",
    }
