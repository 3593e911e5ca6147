"""Initiate Transaction → hosted checkout → signed callback → Transaction Status, and the webhook."""

import json
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, pg_post

CALLBACK = "https://hospital.example/patient-payment/paytm/callback"


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create()


def initiate_body(order_id="ORDER_1001", amount="1500.00", **extra):
    return {
        "requestType": "Payment",
        "mid": MID,
        "websiteName": "WEBSTAGING",
        "orderId": order_id,
        "txnAmount": {"value": amount, "currency": "INR"},
        "userInfo": {"custId": "PATIENT_42"},
        "callbackUrl": CALLBACK,
        **extra,
    }


def initiate(client, order_id="ORDER_1001", amount="1500.00", **extra):
    path = f"/theia/api/v1/initiateTransaction?mid={MID}&orderId={order_id}"
    return pg_post(client, path, initiate_body(order_id, amount, **extra), head={"clientId": "C11"})


def pay(client, order_id="ORDER_1001", method="upi", outcome="success"):
    path = testing.checkout_path(order_id=order_id)
    assert client.get(path).status_code == 200
    return testing.checkout_pay(client, order_id=order_id, method=method, outcome=outcome)


def order_status(client, order_id="ORDER_1001"):
    return pg_post(client, "/v3/order/status", {"mid": MID, "orderId": order_id})


def test_initiate_returns_a_signed_single_use_token(client, merchant):
    response = initiate(client)
    raw = response.content.decode()
    payload = json.loads(raw)
    assert response.status_code == 200
    assert testing.response_signature_is_valid(raw)
    assert payload["head"]["version"] == "v1" and payload["head"]["clientId"] == "C11"
    assert payload["body"]["resultInfo"] == {
        "resultStatus": "S",
        "resultCode": "0000",
        "resultMsg": "Success",
    }
    assert len(payload["body"]["txnToken"]) == 32
    assert (payload["body"]["isPromoCodeValid"], payload["body"]["authenticated"]) == (False, False)
    order = SandboxObject.objects.get(entity="paytm_order")
    assert (order.idempotency_key, order.status, order.body["txnAmount"]) == (
        "ORDER_1001",
        "CREATED",
        "1500.00",
    )


def test_the_sdk_path_order_initiate_works_too(client, merchant):
    response = pg_post(client, "/order/initiate?mid=" + MID + "&orderId=ORDER_1001", initiate_body())
    assert json.loads(response.content)["body"]["resultInfo"]["resultStatus"] == "S"


def test_bad_checksum_is_answered_as_paytm_does_and_writes_nothing(client, merchant):
    path = f"/theia/api/v1/initiateTransaction?mid={MID}&orderId=ORDER_1001"
    response = pg_post(client, path, initiate_body(), key="WrongKey_2026xyz")
    raw = response.content.decode()
    assert response.status_code == 200
    assert json.loads(raw)["body"] == {
        "resultInfo": {"resultStatus": "F", "resultCode": "2005", "resultMsg": "Checksum provided is invalid"}
    }
    assert testing.response_signature_is_valid(raw)
    assert not SandboxObject.objects.exists()


def test_a_tampered_body_fails_the_checksum(client, merchant):
    text = testing.signed_pg_request(initiate_body()).replace('"1500.00"', '"1.00"')
    response = client.post(
        f"/sandbox/paytm/theia/api/v1/initiateTransaction?mid={MID}&orderId=ORDER_1001",
        data=text,
        content_type="application/json",
    )
    assert json.loads(response.content)["body"]["resultInfo"]["resultCode"] == "2005"
    assert not SandboxObject.objects.exists()


def test_unknown_mid_and_mismatched_query_are_rejected(client, merchant):
    unknown = pg_post(client, "/theia/api/v1/initiateTransaction", {**initiate_body(), "mid": "NOPE"})
    assert json.loads(unknown.content)["body"]["resultInfo"]["resultCode"] == "2006"
    mismatched = pg_post(
        client, "/theia/api/v1/initiateTransaction?mid=OTHER&orderId=ORDER_1001", initiate_body()
    )
    assert json.loads(mismatched.content)["body"]["resultInfo"]["resultCode"] == "2013"
    assert not SandboxObject.objects.exists()


@pytest.mark.parametrize("amount", ["0.00", "12.345", "-5.00", "abc"])
def test_invalid_amounts_are_rejected(client, merchant, amount):
    response = initiate(client, amount=amount)
    assert json.loads(response.content)["body"]["resultInfo"] == {
        "resultStatus": "F",
        "resultCode": "1001",
        "resultMsg": "Request parameters are not valid",
    }
    assert not SandboxObject.objects.exists()


def test_duplicate_order_id_is_rejected(client, merchant):
    initiate(client)
    response = initiate(client)
    assert json.loads(response.content)["body"]["resultInfo"] == {
        "resultStatus": "F",
        "resultCode": "325",
        "resultMsg": "Duplicate order id",
    }
    assert SandboxObject.objects.filter(entity="paytm_order").count() == 1


def test_checkout_posts_a_signed_callback_and_status_says_success(client, merchant):
    initiate(client)
    response = pay(client)
    action, fields = testing.callback_form(response.content.decode())
    assert action == CALLBACK
    assert set(fields) == {
        "ORDERID", "MID", "TXNID", "TXNAMOUNT", "PAYMENTMODE", "CURRENCY", "TXNDATE", "STATUS",
        "RESPCODE", "RESPMSG", "GATEWAYNAME", "BANKTXNID", "BANKNAME", "CHECKSUMHASH",
    }  # fmt: skip
    assert (fields["ORDERID"], fields["MID"], fields["TXNAMOUNT"]) == ("ORDER_1001", MID, "1500.00")
    assert (fields["STATUS"], fields["RESPCODE"], fields["PAYMENTMODE"]) == ("TXN_SUCCESS", "01", "UPI")
    assert len(fields["TXNID"]) == 35 and len(fields["BANKTXNID"]) == 15
    assert PaytmChecksum.verifySignature(dict(fields), MERCHANT_KEY, fields["CHECKSUMHASH"]) is True
    # Submitted at once by a static script (the Content-Security-Policy forbids inline ones).
    assert b'<form id="paytm-callback" method="post" data-autosubmit' in response.content
    assert b'<script src="/static/sandbox/autosubmit.js"></script>' in response.content

    status = order_status(client)
    body = json.loads(status.content)["body"]
    assert testing.response_signature_is_valid(status.content.decode())
    assert body["resultInfo"] == {
        "resultStatus": "TXN_SUCCESS",
        "resultCode": "01",
        "resultMsg": "Txn Success",
    }
    assert (body["txnId"], body["bankTxnId"], body["txnAmount"]) == (
        fields["TXNID"],
        fields["BANKTXNID"],
        "1500.00",
    )
    assert (body["paymentMode"], body["txnType"], body["refundAmt"], body["txnDate"]) == (
        "UPI",
        "SALE",
        "0.00",
        fields["TXNDATE"],
    )
    assert "_sandbox" not in body


def test_success_sends_the_form_webhook_signed_as_paytm(client, merchant):
    initiate(client, extendInfo={"mercUnqRef": "BILL-77"})
    pay(client, method="card")
    delivery = SandboxWebhookDelivery.objects.get()
    assert (delivery.url, delivery.event_type) == (testing.WEBHOOK_URL, "payment.TXN_SUCCESS")
    assert delivery.headers == {"Content-Type": "application/x-www-form-urlencoded"}
    form = dict(parse_qsl(delivery.body))
    assert (form["STATUS"], form["PAYMENTMODE"], form["MERC_UNQ_REF"]) == ("TXN_SUCCESS", "DC", "BILL-77")
    assert PaytmChecksum.verifySignature(dict(form), MERCHANT_KEY, form["CHECKSUMHASH"]) is True


def test_failure_button_fails_the_payment_with_227(client, merchant):
    initiate(client)
    _, fields = testing.callback_form(pay(client, method="netbanking", outcome="failure").content.decode())
    assert (fields["STATUS"], fields["RESPCODE"], fields["BANKTXNID"]) == ("TXN_FAILURE", "227", "")
    body = json.loads(order_status(client).content)["body"]
    assert body["resultInfo"]["resultStatus"] == "TXN_FAILURE" and body["resultInfo"]["resultCode"] == "227"
    assert SandboxWebhookDelivery.objects.get().event_type == "payment.TXN_FAILURE"
    assert not SandboxObject.objects.filter(entity="paytm_settlement_row").exists()


def test_magic_amount_leaves_the_payment_pending_without_a_webhook(client, merchant):
    initiate(client, amount="2222.22")
    _, fields = testing.callback_form(pay(client).content.decode())
    assert (fields["STATUS"], fields["RESPCODE"]) == ("PENDING", "402")
    assert json.loads(order_status(client).content)["body"]["resultInfo"]["resultStatus"] == "PENDING"
    assert not SandboxWebhookDelivery.objects.exists()


def test_an_order_cannot_be_paid_twice(client, merchant):
    initiate(client)
    pay(client)
    again = testing.checkout_pay(client, order_id="ORDER_1001")
    assert b"Invalid Token" in again.content
    assert SandboxObject.objects.filter(entity="paytm_txn").count() == 1


def test_checkout_by_txn_token_and_unknown_order(client, merchant):
    token = json.loads(initiate(client).content)["body"]["txnToken"]
    page = client.get(f"/sandbox/paytm/theia/api/v1/showPaymentPage?txnToken={token}")
    assert page.status_code == 200 and "₹1,500.00" in page.content.decode()
    assert client.get(testing.checkout_path(order_id="NOPE")).status_code == 404


def test_status_of_an_unknown_or_unpaid_order(client, merchant):
    unknown = json.loads(order_status(client, "NOPE").content)["body"]["resultInfo"]
    assert unknown == {"resultStatus": "TXN_FAILURE", "resultCode": "334", "resultMsg": "Invalid Order Id."}
    initiate(client)
    unpaid = json.loads(order_status(client).content)["body"]
    assert unpaid["resultInfo"]["resultStatus"] == "PENDING" and unpaid["txnId"] == ""


def test_status_with_bad_checksum_answers_330(client, merchant):
    initiate(client)
    response = pg_post(
        client, "/v3/order/status", {"mid": MID, "orderId": "ORDER_1001"}, key="WrongKey_2026xyz"
    )
    assert json.loads(response.content)["body"]["resultInfo"]["resultCode"] == "330"


def test_settlement_row_is_recorded_with_fee_and_gst(client, merchant):
    initiate(client)
    pay(client)
    row = SandboxObject.objects.get(entity="paytm_settlement_row").body
    assert (row["txnAmount"], row["commission"], row["gst"], row["settleAmount"]) == (
        "1500.00",
        "30.00",
        "5.40",
        "1464.60",
    )
    assert Decimal(row["commission"]) + Decimal(row["gst"]) + Decimal(row["settleAmount"]) == Decimal(
        "1500.00"
    )
