"""Refund API and Refund Status API, the refund's processing and its JSON webhooks."""

import json

import pytest
import responses
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.paytm import checksum, testing
from skinspire.sandbox.paytm.services.refunds import paytm_refund_advance
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, pg_post


@pytest.fixture
def paid_order(client, db):
    testing.paytm_merchant_create()
    body = {
        "requestType": "Payment",
        "mid": MID,
        "orderId": "ORDER_2001",
        "txnAmount": {"value": "1000.00", "currency": "INR"},
        "userInfo": {"custId": "PATIENT_7"},
        "callbackUrl": "https://hospital.example/cb",
    }
    pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId=ORDER_2001", body)
    testing.checkout_pay(client, order_id="ORDER_2001")
    SandboxWebhookDelivery.objects.all().delete()  # only the refund's own webhooks below
    return SandboxObject.objects.get(entity="paytm_order")


def apply(client, order, ref_id="REFUND_1", amount="400.00", **overrides):
    body = {
        "mid": MID,
        "txnType": "REFUND",
        "orderId": "ORDER_2001",
        "txnId": order.body["txnId"],
        "refId": ref_id,
        "refundAmount": amount,
        **overrides,
    }
    return pg_post(client, "/refund/apply", body)


def status(client, ref_id="REFUND_1"):
    return pg_post(client, "/v2/refund/status", {"mid": MID, "orderId": "ORDER_2001", "refId": ref_id})


def test_apply_registers_a_pending_refund(client, paid_order):
    response = apply(client, paid_order)
    raw = response.content.decode()
    body = json.loads(raw)["body"]
    assert testing.response_signature_is_valid(raw)
    assert list(body) == [
        "txnTimestamp",
        "orderId",
        "mid",
        "refId",
        "resultInfo",
        "refundId",
        "txnId",
        "refundAmount",
    ]
    assert body["resultInfo"] == {
        "resultStatus": "PENDING",
        "resultCode": "601",
        "resultMsg": "Refund request was raised for this transaction. But it is pending state",
    }
    assert (body["refId"], body["refundAmount"], body["txnId"]) == (
        "REFUND_1",
        "400.00",
        paid_order.body["txnId"],
    )
    assert len(body["refundId"]) == 35
    pending = json.loads(status(client).content)["body"]
    assert pending["resultInfo"]["resultStatus"] == "PENDING" and pending["refundId"] == body["refundId"]


def test_processing_makes_it_successful_with_signed_webhooks(client, paid_order):
    refund_id = json.loads(apply(client, paid_order).content)["body"]["refundId"]
    paytm_refund_advance(object_id=refund_id)

    raw = status(client).content.decode()
    body = json.loads(raw)["body"]
    assert testing.response_signature_is_valid(raw)
    assert body["resultInfo"] == {
        "resultStatus": "TXN_SUCCESS",
        "resultCode": "10",
        "resultMsg": "Refund Successfull",
    }
    assert (body["acceptRefundStatus"], body["userCreditInitiateStatus"]) == ("SUCCESS", "SUCCESS")
    assert (body["totalRefundAmount"], body["txnAmount"]) == ("400.00", "1000.00")
    assert body["refundDetailInfoList"][0]["refundType"] == "TO_SOURCE"
    order_body = json.loads(
        pg_post(client, "/v3/order/status", {"mid": MID, "orderId": "ORDER_2001"}).content
    )["body"]
    assert order_body["refundAmt"] == "400.00"

    accept, success = SandboxWebhookDelivery.objects.order_by("id")
    assert (accept.event_type, success.event_type) == ("refund.accept", "refund.success")
    for delivery in (accept, success):
        signature = json.loads(delivery.body)["head"]["signature"]
        assert json.loads(delivery.body)["head"]["version"] == "v1"
        assert PaytmChecksum.verifySignature(checksum.raw_body_text(delivery.body), MERCHANT_KEY, signature)
    assert json.loads(accept.body)["body"]["status"] == "SUCCESS"
    assert "status" not in json.loads(success.body)["body"]
    assert json.loads(success.body)["body"]["refundDetailInfoList"][0]["refundAmount"] == "400.00"


def test_processing_twice_changes_nothing(client, paid_order):
    refund_id = json.loads(apply(client, paid_order).content)["body"]["refundId"]
    paytm_refund_advance(object_id=refund_id)
    paytm_refund_advance(object_id=refund_id)
    assert SandboxWebhookDelivery.objects.count() == 2
    assert SandboxObject.objects.filter(entity="paytm_settlement_row", body__txnType="REFUND").count() == 1


def test_processing_runs_after_commit_and_the_webhooks_are_delivered(
    client, paid_order, django_capture_on_commit_callbacks
):
    with responses.RequestsMock() as receiver:
        receiver.post(testing.WEBHOOK_URL, status=200)
        with django_capture_on_commit_callbacks(execute=True):
            apply(client, paid_order)
        calls = list(receiver.calls)
    assert SandboxObject.objects.get(entity="paytm_refund").status == "TXN_SUCCESS"
    assert [call.request.headers["Content-Type"] for call in calls] == ["application/json"] * 2
    delivered = calls[1].request.body.decode()
    signature = json.loads(delivered)["head"]["signature"]
    assert PaytmChecksum.verifySignature(checksum.raw_body_text(delivered), MERCHANT_KEY, signature)
    assert set(SandboxWebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_duplicate_ref_id_is_rejected(client, paid_order):
    apply(client, paid_order)
    body = json.loads(apply(client, paid_order, amount="100.00").content)["body"]
    assert body["resultInfo"] == {
        "resultStatus": "TXN_FAILURE",
        "resultCode": "617",
        "resultMsg": "Refund Already Raised",
    }
    assert SandboxObject.objects.filter(entity="paytm_refund").count() == 1


def test_more_than_the_remaining_amount_is_rejected(client, paid_order):
    apply(client, paid_order, amount="700.00")
    body = json.loads(apply(client, paid_order, ref_id="REFUND_2", amount="300.01").content)["body"]
    assert body["resultInfo"]["resultCode"] == "619"
    assert SandboxObject.objects.filter(entity="paytm_refund").count() == 1
    assert (
        json.loads(apply(client, paid_order, ref_id="REFUND_3", amount="300.00").content)["body"][
            "resultInfo"
        ]["resultCode"]
        == "601"
    )


def test_bad_checksum_and_wrong_txn_id_write_nothing(client, paid_order):
    bad = pg_post(
        client,
        "/refund/apply",
        {"mid": MID, "txnType": "REFUND", "orderId": "ORDER_2001", "txnId": paid_order.body["txnId"],
         "refId": "R", "refundAmount": "1.00"},
        key="WrongKey_2026xyz",
    )  # fmt: skip
    assert json.loads(bad.content)["body"]["resultInfo"] == {
        "resultStatus": "TXN_FAILURE",
        "resultCode": "330",
        "resultMsg": "Checksum provided is invalid",
    }
    mismatch = json.loads(apply(client, paid_order, txnId="20200101000000000000000000000000000").content)[
        "body"
    ]
    assert mismatch["resultInfo"]["resultCode"] == "627"
    assert not SandboxObject.objects.filter(entity="paytm_refund").exists()


def test_unknown_refund_status(client, paid_order):
    body = json.loads(status(client, "NOPE").content)["body"]
    assert body["resultInfo"] == {
        "resultStatus": "TXN_FAILURE",
        "resultCode": "631",
        "resultMsg": "Record not found",
    }
