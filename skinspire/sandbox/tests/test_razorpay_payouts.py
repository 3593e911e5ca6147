"""RazorpayX contacts, fund accounts and payouts through the SDK's generic client.post/get."""

import pytest
import razorpay

from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"
BALANCE = 10_000_000_00


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpayx", account_number=ACCOUNT)


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _fund_account(client, *, account_number="123456789012", vpa=None):
    contact = client.post(
        "/v1/contacts", {"name": "Acme Surgicals", "type": "vendor", "reference_id": "SUP-1"}
    )
    if vpa:
        body = {"contact_id": contact["id"], "account_type": "vpa", "vpa": {"address": vpa}}
    else:
        bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": account_number}
        body = {"contact_id": contact["id"], "account_type": "bank_account", "bank_account": bank}
    return client.post("/v1/fund_accounts", body)


def _payout(client, fund_account_id, *, key="key-0001", **overrides):
    body = {
        "account_number": ACCOUNT,
        "fund_account_id": fund_account_id,
        "amount": 100000,
        "currency": "INR",
        "mode": "IMPS",
        "purpose": "vendor bill",
        "reference_id": "HOSP-PO-0001",
        "narration": "Acme Supplier Payment",
        **overrides,
    }
    return client.post("/v1/payouts", body, headers={"X-Payout-Idempotency": key})


def _balance(merchant):
    return SandboxMerchant.objects.get(pk=merchant.pk).balance_paise


def test_contacts_and_fund_accounts_are_deduplicated(client):
    contact = client.post("/v1/contacts", {"name": "Acme Surgicals", "email": "a@acme.in", "type": "vendor"})
    same = client.post("/v1/contacts", {"name": "Acme Surgicals", "email": "a@acme.in", "type": "vendor"})
    other = client.post("/v1/contacts", {"name": "Acme Surgicals", "email": "b@acme.in", "type": "vendor"})

    assert contact["id"].startswith("cont_") and same == contact and other["id"] != contact["id"]
    assert (contact["entity"], contact["active"]) == ("contact", True)
    bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": "123456789012"}
    body = {"contact_id": contact["id"], "account_type": "bank_account", "bank_account": bank}
    account = client.post("/v1/fund_accounts", body)
    assert client.post("/v1/fund_accounts", body) == account
    assert account["id"].startswith("fa_")
    assert account["bank_account"] == {**bank, "bank_name": "HDFC Bank", "notes": []}
    vpa = client.post(
        "/v1/fund_accounts",
        {"contact_id": contact["id"], "account_type": "vpa", "vpa": {"address": "acme@okhdfc"}},
    )
    assert vpa["vpa"] == {"username": "acme", "handle": "okhdfc", "address": "acme@okhdfc"}
    assert client.get(f"/v1/fund_accounts/{vpa['id']}", {}) == vpa
    assert client.get(f"/v1/contacts/{contact['id']}", {}) == contact
    with pytest.raises(
        razorpay.errors.BadRequestError, match="The name must be between 3 and 50 characters."
    ):
        client.post("/v1/contacts", {"name": "Ab"})
    with pytest.raises(razorpay.errors.BadRequestError, match="The ifsc must be 11 characters."):
        client.post("/v1/fund_accounts", {**body, "bank_account": {**bank, "ifsc": "HDFC"}})
    assert SandboxObject.objects.filter(entity__in=["contact", "fund_account"]).count() == 4


def test_same_idempotency_key_returns_the_same_payout(client, merchant):
    fund_account = _fund_account(client)

    first = _payout(client, fund_account["id"])
    second = _payout(client, fund_account["id"])

    assert first["id"].startswith("pout_")
    assert second == first
    assert (first["status"], first["fees"], first["tax"], first["utr"]) == ("processing", 590, 90, None)
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert _balance(merchant) == BALANCE - 100000 - 590
    with pytest.raises(
        razorpay.errors.BadRequestError, match="^Different request body sent for the same Idempotency Header$"
    ):
        _payout(client, fund_account["id"], amount=100001)
    assert SandboxObject.objects.filter(entity="payout").count() == 1


def test_missing_idempotency_header_is_refused_with_razorpays_body(client, merchant):
    from skinspire.gateways.http import new_session

    fund_account = _fund_account(client)
    with pytest.raises(razorpay.errors.BadRequestError, match="^Idempotency key is missing"):
        client.post("/v1/payouts", {"account_number": ACCOUNT, "fund_account_id": fund_account["id"]})

    response = new_session().post(
        "http://sandbox.testserver/sandbox/razorpay/v1/payouts",
        json={"account_number": ACCOUNT, "fund_account_id": fund_account["id"], "amount": 100},
        auth=(merchant.key_id, merchant.key_secret),
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "BAD_REQUEST_ERROR",
            "description": "Idempotency key is missing",
            "field": "X-Payout-Idempotency",
            "source": "business",
            "step": None,
            "reason": "null",
            "metadata": {},
        }
    }
    assert not SandboxObject.objects.filter(entity="payout").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mode": "imps"}, "The selected mode is invalid."),
        ({"mode": "UPI"}, "The selected mode is invalid."),
        ({"purpose": "bribe"}, "The selected purpose is invalid."),
        ({"amount": 99}, "The amount must be at least INR 1.00"),
        ({"account_number": "1111"}, "The account number is invalid."),
        ({"currency": "USD"}, "The selected currency is invalid."),
    ],
)
def test_payout_validation_writes_nothing(client, merchant, overrides, message):
    fund_account = _fund_account(client)

    with pytest.raises(razorpay.errors.BadRequestError, match=f"^{message}$"):
        _payout(client, fund_account["id"], **overrides)
    assert not SandboxObject.objects.filter(entity="payout").exists()
    assert _balance(merchant) == BALANCE


def test_payout_lifecycle_to_processed_with_utr_and_webhooks(client):
    payout = _payout(client, _fund_account(client)["id"])

    moved, changed = payout_advance(payout_id=payout["id"])

    assert changed is True
    fetched = client.get(f"/v1/payouts/{payout['id']}", {})
    assert fetched["status"] == "processed"
    assert len(fetched["utr"]) == 12 and fetched["utr"].isdigit()
    assert fetched["status_details"]["reason"] == "payout_processed"
    assert payout_advance(payout_id=payout["id"])[1] is False
    assert list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True)) == [
        "payout.initiated",
        "payout.processed",
    ]
    listed = client.get("/v1/payouts", {"account_number": ACCOUNT, "reference_id": "HOSP-PO-0001"})
    assert listed == {"entity": "collection", "count": 1, "items": [fetched]}
    assert client.get("/v1/payouts", {"account_number": ACCOUNT, "reference_id": "OTHER"})["count"] == 0


def test_payout_steps_chain_after_commit(client, django_capture_on_commit_callbacks):
    fund_account = _fund_account(client)

    with django_capture_on_commit_callbacks(execute=True):
        payout = _payout(client, fund_account["id"])

    assert client.get(f"/v1/payouts/{payout['id']}", {})["status"] == "processed"


def test_insufficient_funds_magic_amount_fails_or_queues(client, merchant):
    fund_account = _fund_account(client)

    failed = _payout(client, fund_account["id"], amount=111111)
    queued = _payout(client, fund_account["id"], key="key-0002", amount=111111, queue_if_low_balance=True)

    assert (failed["status"], failed["status_details"]["reason"], failed["fees"]) == (
        "failed",
        "insufficient_funds",
        0,
    )
    assert (queued["status"], queued["status_details"]["reason"]) == ("queued", "low_balance")
    assert payout_advance(payout_id=queued["id"])[1] is False
    assert _balance(merchant) == BALANCE
    cancelled = client.post(f"/v1/payouts/{queued['id']}/cancel", {})
    assert cancelled["status"] == "cancelled"
    with pytest.raises(razorpay.errors.BadRequestError, match="Only queued payouts can be cancelled"):
        client.post(f"/v1/payouts/{failed['id']}/cancel", {})


def test_a_real_low_balance_queues_then_processes_after_top_up(client, merchant):
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1000)
    payout = _payout(client, _fund_account(client)["id"], queue_if_low_balance=True)
    assert payout["status"] == "queued"

    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=200000)
    moved, changed = payout_advance(payout_id=payout["id"])

    assert (moved.body["status"], changed) == ("processing", True)
    assert _balance(merchant) == 200000 - 100000 - 590


def test_rejected_beneficiary_fails_and_credits_back(client, merchant):
    payout = _payout(client, _fund_account(client, account_number="123450000")["id"])

    payout_advance(payout_id=payout["id"])

    fetched = client.get(f"/v1/payouts/{payout['id']}", {})
    assert (fetched["status"], fetched["status_details"]["reason"]) == ("failed", "beneficiary_bank_rejected")
    assert _balance(merchant) == BALANCE


def test_failure_vpa_fails(client):
    payout = _payout(client, _fund_account(client, vpa="failure@razorpay")["id"], mode="UPI")

    assert payout_advance(payout_id=payout["id"])[0].body["status"] == "failed"


def test_account_ending_9999_is_processed_then_reversed(client, merchant):
    payout = _payout(client, _fund_account(client, account_number="123459999")["id"])

    assert payout_advance(payout_id=payout["id"])[0].body["status"] == "processed"
    assert _balance(merchant) == BALANCE - 100590
    assert payout_advance(payout_id=payout["id"])[0].body["status"] == "reversed"

    assert _balance(merchant) == BALANCE
    assert list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True)) == [
        "payout.initiated",
        "payout.processed",
        "payout.reversed",
    ]


def test_magic_amount_stays_processing(client):
    payout = _payout(client, _fund_account(client)["id"], amount=222222)

    assert payout_advance(payout_id=payout["id"])[1] is False
    assert client.get(f"/v1/payouts/{payout['id']}", {})["status"] == "processing"


def test_timeout_reference_answers_504_but_the_payout_exists(client):
    fund_account = _fund_account(client)

    with pytest.raises(razorpay.errors.ServerError, match="Gateway timed out"):
        _payout(client, fund_account["id"], reference_id="TIMEOUT-1")
    retried = _payout(client, fund_account["id"], reference_id="TIMEOUT-1")

    assert retried["status"] == "processing"
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert client.get("/v1/payouts", {"account_number": ACCOUNT, "reference_id": "TIMEOUT-1"})["items"] == [
        retried
    ]


def test_composite_payout_creates_contact_and_fund_account(client):
    body = {
        "account_number": ACCOUNT,
        "amount": 5000,
        "currency": "INR",
        "mode": "UPI",
        "purpose": "refund",
        "fund_account": {
            "account_type": "vpa",
            "vpa": {"address": "patient@okicici"},
            "contact": {"name": "Asha Rao", "type": "customer"},
        },
    }

    payout = client.post("/v1/payouts", body, headers={"X-Payout-Idempotency": "composite-1"})

    fund_account = client.get(f"/v1/fund_accounts/{payout['fund_account_id']}", {})
    assert fund_account["vpa"]["address"] == "patient@okicici"
    assert client.get(f"/v1/contacts/{fund_account['contact_id']}", {})["name"] == "Asha Rao"


def test_payout_link_create_and_fetch(client):
    contact = client.post("/v1/contacts", {"name": "Acme Surgicals", "type": "vendor"})
    body = {
        "account_number": ACCOUNT,
        "contact": {"id": contact["id"]},
        "amount": 250000,
        "currency": "INR",
        "purpose": "vendor bill",
        "description": "Invoice INV-7",
    }

    link = client.post("/v1/payout-links", body)

    assert link["id"].startswith("poutlk_")
    assert (link["status"], link["contact_id"], link["amount"]) == ("issued", contact["id"], 250000)
    assert client.get(f"/v1/payout-links/{link['id']}", {}) == link
