"""Payouts: bank and UPI transfers through their lifecycle, fees, magic failures, reversal, callbacks."""

import json
import re

import pytest
import responses
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.services.payouts import paytm_payout_advance
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, SUBWALLET, payout_post

CALLBACK = "https://hospital.example/payouts/paytm/callback"
BALANCE = 1_000_000_00


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create(balance_paise=BALANCE)


def bank_body(order_id="PAYOUT_1", amount="2500.00", account="918008484891", ifsc="PYTM0123456", **extra):
    return {
        "subwalletGuid": SUBWALLET,
        "orderId": order_id,
        "beneficiaryAccount": account,
        "beneficiaryIFSC": ifsc,
        "amount": amount,
        "purpose": "OTHERS",
        "transferMode": "IMPS",
        "callbackUrl": CALLBACK,
        **extra,
    }


def upi_body(order_id="PAYOUT_UPI", vpa="supplier@okhdfc", amount="750.00"):
    return {
        "subwalletGuid": SUBWALLET,
        "orderId": order_id,
        "beneficiaryVPA": vpa,
        "amount": amount,
        "purpose": "SALARY_DISBURSEMENT",
        "transferMode": "UPI",
        "date": "2026-11-22",
    }


def transfer(client, body):
    return json.loads(payout_post(client, "/bpay/api/v1/disburse/order/bank", body).content)


def query(client, order_id="PAYOUT_1"):
    return json.loads(payout_post(client, "/bpay/api/v1/disburse/order/query", {"orderId": order_id}).content)


def advance_all(order_id: str) -> list[str]:
    payout = SandboxObject.objects.get(entity="paytm_payout", idempotency_key=order_id)
    seen = []
    for _ in range(5):
        before = payout.status
        payout = paytm_payout_advance(object_id=payout.object_id)
        if payout.status == before:
            break
        seen.append(payout.status)
    return seen


def balance() -> int:
    return SandboxMerchant.objects.get(key_id=MID).balance_paise


def test_bank_transfer_is_accepted_and_debits_amount_and_fee(client, merchant):
    answer = transfer(client, bank_body())
    assert (answer["status"], answer["statusCode"], answer["statusMessage"]) == (
        "ACCEPTED",
        "DE_002",
        "Request accepted",
    )
    result = answer["result"]
    assert (result["mid"], result["orderId"], result["amount"]) == (MID, "PAYOUT_1", "2500.00")
    assert (result["commissionAmount"], result["tax"], result["rrn"]) == ("5.00", "0.90", None)
    assert re.fullmatch(r"\d{24}", result["paytmOrderId"])
    assert set(result) == {
        "mid", "orderId", "paytmOrderId", "amount", "commissionAmount", "tax", "rrn",
        "beneficiaryName", "isCachedData", "cachedTime", "reversalReason",
    }  # fmt: skip
    assert balance() == BALANCE - 2505_90


def test_bank_transfer_goes_pending_then_success_with_rrn_and_signed_callbacks(client, merchant):
    transfer(client, bank_body())
    assert advance_all("PAYOUT_1") == ["PENDING", "SUCCESS"]
    answer = query(client)
    assert (answer["status"], answer["statusCode"]) == ("SUCCESS", "DE_001")
    assert re.fullmatch(r"\d{12}", answer["result"]["rrn"])
    deliveries = SandboxWebhookDelivery.objects.order_by("id")
    assert [(d.url, d.event_type) for d in deliveries] == [
        (CALLBACK, "payout.PENDING"),
        (testing.WEBHOOK_URL, "payout.PENDING"),
        (CALLBACK, "payout.SUCCESS"),
        (testing.WEBHOOK_URL, "payout.SUCCESS"),
    ]
    for delivery in deliveries:
        assert delivery.headers["x-mid"] == MID
        assert PaytmChecksum.verifySignature(delivery.body, MERCHANT_KEY, delivery.headers["x-checksum"])
    assert json.loads(deliveries.last().body) == answer
    assert balance() == BALANCE - 2505_90


def test_upi_transfer_succeeds(client, merchant):
    assert transfer(client, upi_body())["statusCode"] == "DE_002"
    assert advance_all("PAYOUT_UPI") == ["PENDING", "SUCCESS"]
    assert query(client, "PAYOUT_UPI")["status"] == "SUCCESS"


def test_steps_chain_after_commit_and_callbacks_reach_the_receiver(
    client, merchant, django_capture_on_commit_callbacks
):
    with responses.RequestsMock() as receiver:
        receiver.post(CALLBACK, status=500)  # the callback URL is down: retried later
        receiver.post(testing.WEBHOOK_URL, status=200)
        with django_capture_on_commit_callbacks(execute=True):
            transfer(client, bank_body())
        calls = [
            (call.request.url, call.request.headers["x-checksum"], call.request.body)
            for call in receiver.calls
        ]
    assert query(client)["status"] == "SUCCESS"
    assert len(calls) == 4
    for _url, signature, body in calls:
        assert PaytmChecksum.verifySignature(body.decode(), MERCHANT_KEY, signature)
    failed = SandboxWebhookDelivery.objects.filter(url=CALLBACK)
    assert {(d.status, d.attempts, d.last_status_code) for d in failed} == {("pending", 1, 500)}
    assert all(d.next_attempt_at is not None for d in failed)
    assert set(
        SandboxWebhookDelivery.objects.filter(url=testing.WEBHOOK_URL).values_list("status", flat=True)
    ) == {"delivered"}


def test_magic_amount_fails_with_insufficient_balance_and_returns_the_money(client, merchant):
    transfer(client, bank_body(amount="1111.11"))
    assert balance() == BALANCE - 1117_01
    assert advance_all("PAYOUT_1") == ["PENDING", "INSUFFICIENT_BALANCE"]
    answer = query(client)
    assert (answer["status"], answer["statusCode"], answer["result"]["rrn"]) == ("FAILURE", "DE_1004", None)
    assert balance() == BALANCE


@pytest.mark.parametrize(
    "body",
    [
        bank_body(account="123456780000", ifsc="HDFC0001234"),
        upi_body(order_id="PAYOUT_1", vpa="failure@paytm"),
    ],
)
def test_magic_beneficiaries_are_rejected_by_the_bank(client, merchant, body):
    transfer(client, body)
    assert advance_all("PAYOUT_1") == ["PENDING", "BANK_REJECTED"]
    assert (query(client)["status"], query(client)["statusCode"]) == ("FAILURE", "DE_111")
    assert balance() == BALANCE


def test_magic_account_succeeds_then_reverses(client, merchant):
    transfer(client, bank_body(account="123456789999", ifsc="HDFC0001234"))
    assert advance_all("PAYOUT_1") == ["PENDING", "SUCCESS", "REVERSED"]
    answer = query(client)
    assert (answer["status"], answer["statusCode"], answer["statusMessage"]) == (
        "FAILURE",
        "DE_685",
        "Fresh reversal",
    )
    assert answer["result"]["reversalReason"] == "FRESH_REVERSAL"
    assert re.fullmatch(r"\d{12}", answer["result"]["rrn"])
    reversal = SandboxWebhookDelivery.objects.filter(
        event_type="payout.FAILURE", url=testing.WEBHOOK_URL
    ).get()
    assert json.loads(reversal.body)["statusCode"] == "DE_685"
    assert balance() == BALANCE


def test_a_finished_payout_does_not_move(client, merchant):
    transfer(client, bank_body())
    advance_all("PAYOUT_1")
    payout = SandboxObject.objects.get(entity="paytm_payout")
    assert paytm_payout_advance(object_id=payout.object_id).status == "SUCCESS"
    assert SandboxWebhookDelivery.objects.count() == 4


def test_duplicate_order_id_is_rejected(client, merchant):
    transfer(client, bank_body())
    answer = transfer(client, bank_body(amount="10.00"))
    assert answer == {
        "status": "FAILURE",
        "statusCode": "DE_602",
        "statusMessage": "Duplicate order id",
        "result": None,
    }
    assert SandboxObject.objects.filter(entity="paytm_payout").count() == 1
    assert balance() == BALANCE - 2505_90


def test_real_insufficient_balance_fails_at_once(client, db):
    testing.paytm_merchant_create(balance_paise=100_00)
    answer = transfer(client, bank_body())
    assert (answer["status"], answer["statusCode"]) == ("FAILURE", "DE_1004")
    assert balance() == 100_00
    assert query(client)["statusCode"] == "DE_1004"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"orderId": ""}, "DE_010"),
        ({"amount": "10.001"}, "DE_012"),
        ({"amount": "0.50"}, "DE_012"),
        ({"orderId": "X" * 51}, "DE_013"),
        ({"beneficiaryAccount": "123456789012"}, "DE_014"),
        ({"purpose": "GIFTS"}, "DE_015"),
        ({"purpose": "REIMBURSEMENT"}, "DE_010"),
        ({"transferMode": "CHEQUE"}, "DE_011"),
        ({"subwalletGuid": "another-guid"}, "DE_1003"),
    ],
)
def test_validation_errors_write_nothing(client, merchant, change, code):
    answer = transfer(client, {**bank_body(), **change})
    assert (answer["status"], answer["statusCode"]) == ("FAILURE", code)
    assert not SandboxObject.objects.exists()
    assert balance() == BALANCE


def test_bad_checksum_or_unknown_mid_write_nothing(client, merchant):
    bad = payout_post(client, "/bpay/api/v1/disburse/order/bank", bank_body(), key="WrongKey_2026xyz")
    assert json.loads(bad.content) == {
        "status": "FAILURE",
        "statusCode": "DE_401",
        "statusMessage": "Checksum provided is invalid",
        "result": None,
    }
    unknown = payout_post(client, "/bpay/api/v1/disburse/order/bank", bank_body(), mid="UNKNOWN")
    assert json.loads(unknown.content)["statusCode"] == "DE_1002"
    assert not SandboxObject.objects.exists()
    assert balance() == BALANCE


def test_query_of_an_unknown_order_holds_no_result(client, merchant):
    assert query(client, "NOPE") == {
        "status": "FAILURE",
        "statusCode": "DE_040",
        "statusMessage": "Order not found",
        "result": None,
    }
