"""The RazorpayX account statement (GET /v1/transactions): payout debits with fees, reversal credits."""

import pytest
import razorpay

from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"
OPENING = 10_000_000_00
FEES, TAX = 590, 90  # ₹5 + 18% GST per payout


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(account_number=ACCOUNT, balance_paise=OPENING)


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _payout(client, *, account_number: str, amount: int, key: str):
    contact = client.post("/v1/contacts", {"name": "Acme Surgicals", "type": "vendor"})
    bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": account_number}
    account = client.post(
        "/v1/fund_accounts",
        {"contact_id": contact["id"], "account_type": "bank_account", "bank_account": bank},
    )
    body = {"account_number": ACCOUNT, "fund_account_id": account["id"], "amount": amount, "currency": "INR",
            "mode": "IMPS", "purpose": "vendor bill", "notes": {"invoice": key}}  # fmt: skip
    return client.post("/v1/payouts", body, headers={"X-Payout-Idempotency": key})


def _statement(client, **params):
    return client.get("/v1/transactions", {"account_number": ACCOUNT, **params})


def test_a_processed_payout_is_one_debit_of_amount_plus_fees(client, merchant):
    payout = _payout(client, account_number="123456789012", amount=100000, key="key-st-1")
    payout_advance(payout_id=payout["id"])

    statement = _statement(client)

    assert statement["count"] == 1
    line = statement["items"][0]
    assert line["id"].startswith("txn_") and len(line["id"]) == len("txn_") + 14
    processed = client.get(f"/v1/payouts/{payout['id']}", {})
    assert {key: value for key, value in line.items() if key not in ("id", "created_at")} == {
        "entity": "transaction",
        "account_number": ACCOUNT,
        "amount": 100000,
        "currency": "INR",
        "credit": 0,
        "debit": 100000 + FEES,
        "balance": OPENING - 100000 - FEES,
        "source": {
            "id": payout["id"],
            "entity": "payout",
            "fund_account_id": payout["fund_account_id"],
            "amount": 100000,
            "notes": {"invoice": "key-st-1"},
            "fees": FEES,
            "tax": TAX,
            "status": "processed",
            "utr": processed["utr"],
            "mode": "IMPS",
            "created_at": payout["created_at"],
            "fee_type": "",
        },
    }
    assert line["balance"] == SandboxMerchant.objects.get(pk=merchant.pk).balance_paise
    assert client.get(f"/v1/transactions/{line['id']}", {}) == line


def test_a_reversal_credits_amount_and_fees_back(client):
    payout = _payout(client, account_number="123456789999", amount=50000, key="key-st-2")  # …9999: reversed
    payout_advance(payout_id=payout["id"])
    payout_advance(payout_id=payout["id"])

    credit, debit = _statement(client)["items"]  # newest first

    assert (debit["debit"], debit["credit"], debit["balance"]) == (50000 + FEES, 0, OPENING - 50000 - FEES)
    assert (credit["credit"], credit["debit"], credit["balance"], credit["amount"]) == (
        50000 + FEES,
        0,
        OPENING,
        50000,
    )
    source = credit["source"]
    assert source["id"].startswith("rvrsl_")
    assert {key: source[key] for key in ("entity", "payout_id", "amount", "fee", "tax", "currency")} == {
        "entity": "reversal",
        "payout_id": payout["id"],
        "amount": 50000,
        "fee": FEES,
        "tax": TAX,
        "currency": "INR",
    }
    assert debit["source"]["status"] == "reversed"


def test_a_rejected_payout_is_debited_then_credited_and_a_failed_start_writes_nothing(client):
    rejected = _payout(client, account_number="123456780000", amount=20000, key="key-st-3")  # …0000: rejected
    payout_advance(payout_id=rejected["id"])
    _payout(
        client, account_number="123456789012", amount=111111, key="key-st-4"
    )  # insufficient funds at once

    lines = _statement(client)["items"]

    assert [(line["debit"], line["credit"], line["source"]["entity"]) for line in lines] == [
        (0, 20000 + FEES, "reversal"),
        (20000 + FEES, 0, "payout"),
    ]
    assert lines[0]["balance"] == OPENING
    assert _statement(client, count=1)["items"] == lines[:1]


def test_the_statement_needs_the_merchants_account_number(client):
    with pytest.raises(razorpay.errors.BadRequestError, match="^The account number field is required.$"):
        client.get("/v1/transactions", {})
    with pytest.raises(razorpay.errors.BadRequestError, match="^The account number is invalid.$"):
        client.get("/v1/transactions", {"account_number": "0000"})
    with pytest.raises(razorpay.errors.BadRequestError, match="^The id provided does not exist$"):
        client.get("/v1/transactions/txn_DoesNotExist01", {})
