"""Settle now: the sandbox control (admin action and POST /sandbox/control/settle-now) that
settles at once what would wait for T+1, so reconciliation can run today."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from paytmchecksum import PaytmChecksum

from skinspire.gateways.http import new_session
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.paytm import ids, testing
from skinspire.sandbox.paytm.services.settlements import settlement_utr
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, pg_post
from skinspire.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

CONTROL = "http://sandbox.testserver/sandbox/control/settle-now"


def _razorpay_activity(merchant):
    client = razorpay_client(merchant)
    payments = []
    for amount in (50000, 20000):
        order = client.order.create({"amount": amount, "currency": "INR", "receipt": f"OPD-{amount}"})
        choice = CheckoutChoice(method="upi", succeed=True)
        payments.append(payment_checkout(merchant=merchant, order_id=order["id"], choice=choice).object_id)
    refund = client.payment.refund(payments[0], {"amount": 5000})
    return client, payments, refund["id"]


def test_razorpay_settle_now_makes_todays_settlement_the_sdk_and_recon_report_read(db):
    merchant = SandboxMerchantFactory()
    client, payments, refund_id = _razorpay_activity(merchant)
    today = timezone.localdate()
    assert client.settlement.all()["count"] == 0

    answer = new_session().post(CONTROL, auth=(merchant.key_id, merchant.key_secret))

    assert answer.status_code == 200
    settled = answer.json()
    assert (settled["provider"], settled["settled"]) == ("razorpay", 3)
    settlement = client.settlement.fetch(settled["settlement"]["id"])
    assert settlement == settled["settlement"]
    assert client.settlement.all() == {"entity": "collection", "count": 1, "items": [settlement]}
    # 50000 − 1180 + 20000 − 472 − 5000 (2% + 18% GST fees; the refund debited).
    assert (settlement["amount"], settlement["fees"], settlement["tax"]) == (63348, 1652, 252)
    report = client.settlement.report({"year": today.year, "month": today.month, "day": today.day})
    assert sorted(item["entity_id"] for item in report["items"]) == sorted([*payments, refund_id])
    assert {item["settlement_id"] for item in report["items"]} == {settlement["id"]}
    assert {item["settlement_utr"] for item in report["items"]} == {settlement["utr"]}

    again = new_session().post(CONTROL, auth=(merchant.key_id, merchant.key_secret)).json()
    assert again == {"provider": "razorpay", "settled": 0, "settlement": None}
    assert SandboxObject.objects.filter(entity="settlement").count() == 1


@pytest.mark.parametrize(
    ("auth", "headers"),
    [(("rzp_test_nobody", "x"), {}), ("secret", {}), (None, {}), (None, {"Authorization": "Bearer x"})],
)
def test_razorpay_settle_now_needs_the_merchants_keys(db, auth, headers):
    merchant = SandboxMerchantFactory()
    _razorpay_activity(merchant)
    if auth == "secret":
        auth = (merchant.key_id, "wrong")

    answer = new_session().post(CONTROL, auth=auth, headers=headers)

    assert answer.status_code == 401
    assert set(answer.json()) == {"message", "extra"}
    assert answer.headers["WWW-Authenticate"] == 'Basic realm="sandbox"'
    assert not SandboxObject.objects.filter(entity__in=("settlement", "recon_item")).exists()


def _paytm_settlement_list(client, day: str) -> dict:
    params = {"MID": MID, "utrProcessedStartTime": day, "pageNum": "1", "pageSize": "20"}
    body = {**params, "checksumHash": PaytmChecksum.generateSignature(dict(params), MERCHANT_KEY)}
    response = client.post(
        "/sandbox/paytm/merchant-settlement-service/settlement/list",
        data=json.dumps(body),
        content_type="application/json",
    )
    return json.loads(response.content)


def _paytm_paid(client, order_id: str, amount: str) -> None:
    body = {"requestType": "Payment", "mid": MID, "orderId": order_id,
            "txnAmount": {"value": amount, "currency": "INR"}, "userInfo": {"custId": "P1"}}  # fmt: skip
    pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId={order_id}", body)
    testing.checkout_pay(client, order_id=order_id)


def _paytm_control(client, body: str, *, key: str = MERCHANT_KEY, mid: str = MID):
    headers = {"x-mid": mid, "x-checksum": PaytmChecksum.generateSignature(body, key)}
    return client.post(
        "/sandbox/control/settle-now", data=body, content_type="application/json", headers=headers
    )


def test_paytm_settle_now_moves_tomorrows_rows_to_today(client, db):
    testing.paytm_merchant_create()
    _paytm_paid(client, "ORDER_S1", "1000.00")
    _paytm_paid(client, "ORDER_S2", "333.33")
    today = ids.now_ist().date().isoformat()
    tomorrow = (ids.now_ist() + timedelta(days=1)).date().isoformat()
    assert _paytm_settlement_list(client, today)["status"] == "RECORD_NOT_FOUND"

    answer = _paytm_control(client, json.dumps({"mid": MID}))

    assert answer.status_code == 200
    settled = answer.json()
    assert (settled["provider"], settled["settled"], settled["payoutDate"]) == ("paytm", 2, today)
    assert settled["utr"] != settlement_utr(mid=MID, payout_date=today) and settled["utr"].startswith("SBXN")
    listed = _paytm_settlement_list(client, today)
    assert (listed["status"], listed["totalCount"]) == ("SUCCESS", 2)
    rows = listed["settlementDetailList"]
    assert [(row["orderId"], row["settleAmount"]) for row in rows] == [
        ("ORDER_S1", "976.40"),
        ("ORDER_S2", "325.46"),
    ]
    assert {(row["payoutDate"], row["utr"]) for row in rows} == {(today, settled["utr"])}
    assert all(row["utrProcessedTime"] <= ids.now_ist().strftime("%Y-%m-%d %H:%M:%S") for row in rows)
    assert _paytm_settlement_list(client, tomorrow)["status"] == "RECORD_NOT_FOUND"
    assert _paytm_control(client, "{}").json() == {
        "provider": "paytm",
        "settled": 0,
        "payoutDate": None,
        "utr": None,
    }


def test_paytm_settle_now_needs_a_valid_checksum_and_a_json_body(client, db):
    testing.paytm_merchant_create()
    _paytm_paid(client, "ORDER_S3", "100.00")
    before = SandboxObject.objects.get(entity="paytm_settlement_row").body

    bad_key = _paytm_control(client, "{}", key="WrongKey_2026xyz")
    unknown = _paytm_control(client, "{}", mid="NOSUCHMID00000000001")
    malformed = _paytm_control(client, "not json")

    assert (bad_key.status_code, bad_key.json()) == (
        401,
        {"message": "Checksum provided is invalid", "extra": {"code": "DE_401"}},
    )
    assert (unknown.status_code, unknown.json()["extra"]) == (401, {"code": "DE_1002"})
    assert (malformed.status_code, malformed.json()["extra"]) == (400, {"code": "DE_010"})
    assert SandboxObject.objects.get(entity="paytm_settlement_row").body == before


def test_admin_action_settles_each_selected_merchant(client, db):
    razorpay_merchant = SandboxMerchantFactory()
    _razorpay_activity(razorpay_merchant)
    paytm_merchant = testing.paytm_merchant_create()
    _paytm_paid(client, "ORDER_S4", "100.00")
    idle = SandboxMerchantFactory()
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser(username="root", password="pw-123456"))

    response = admin.post(
        reverse("admin:sandbox_sandboxmerchant_changelist"),
        {"action": "settle_now", "_selected_action": [razorpay_merchant.pk, paytm_merchant.pk, idle.pk]},
        follow=True,
    )

    settlement = SandboxObject.objects.get(entity="settlement")
    row = SandboxObject.objects.get(entity="paytm_settlement_row").body
    messages = sorted(str(message) for message in response.context["messages"])
    assert messages == sorted(
        [
            f"{razorpay_merchant.key_id}: settled 3 items, {settlement.object_id}",
            f"{MID}: settled 1 item, {row['utr']}",
            f"{idle.key_id}: nothing to settle",
        ]
    )
    assert row["payoutDate"] == ids.now_ist().date().isoformat()
