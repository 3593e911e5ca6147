"""Razorpay refuses fields an endpoint does not take: "<fields> is/are not required and should not be sent"."""

import pytest
import razorpay

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(account_number=ACCOUNT)


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _expect_refused(call, description: str) -> None:
    with pytest.raises(razorpay.errors.BadRequestError, match=f"^{description}$"):
        call()


def test_order_create_refuses_unknown_fields_in_request_order_and_writes_nothing(client, merchant):
    body = {"amount": 1000, "currency": "INR", "reciept": "R-1", "customer": "x"}

    _expect_refused(
        lambda: client.order.create(body), "reciept, customer is/are not required and should not be sent"
    )
    assert not SandboxObject.objects.exists()


def test_the_error_body_names_no_field(merchant):
    from skinspire.gateways.http import new_session

    response = new_session().post(
        "http://sandbox.testserver/sandbox/razorpay/v1/orders",
        auth=(merchant.key_id, merchant.key_secret),
        json={"amount": 1000, "currency": "INR", "foo": 1},
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "BAD_REQUEST_ERROR",
        "description": "foo is/are not required and should not be sent",
        "field": None,
        "source": "business",
        "step": "payment_initiation",
        "reason": "input_validation_failed",
        "metadata": {},
    }


def _captured_payment(client, merchant):
    order = client.order.create({"amount": 50000, "currency": "INR"})
    return payment_checkout(
        merchant=merchant, order_id=order["id"], choice=CheckoutChoice(method="upi", succeed=True)
    )


def test_refunds_and_capture_refuse_unknown_fields(client, merchant):
    payment = _captured_payment(client, merchant)

    _expect_refused(
        lambda: client.payment.refund(payment.object_id, {"amount": 100, "reason": "x"}),
        "reason is/are not required and should not be sent",
    )
    _expect_refused(
        lambda: client.refund.create({"payment_id": payment.object_id, "instant": True}),
        "instant is/are not required and should not be sent",
    )
    _expect_refused(
        lambda: client.payment.capture(payment.object_id, 50000, {"currency": "INR", "x": 1}),
        "x is/are not required and should not be sent",
    )
    assert not SandboxObject.objects.filter(entity="refund").exists()
    # The documented fields still work, through both SDK calls.
    assert (
        client.refund.create({"payment_id": payment.object_id, "amount": 100, "speed": "normal"})["amount"]
        == 100
    )


def test_payment_link_create_and_edit_refuse_unknown_fields(client):
    _expect_refused(
        lambda: client.payment_link.create({"amount": 1000, "currency": "INR", "send_sms": True}),
        "send_sms is/are not required and should not be sent",
    )
    link = client.payment_link.create({"amount": 1000, "currency": "INR"})
    _expect_refused(
        lambda: client.payment_link.edit(link["id"], {"amount": 2000}),
        "amount is/are not required and should not be sent",
    )
    assert client.payment_link.fetch(link["id"])["amount"] == 1000


def _contact(client):
    return client.post("/v1/contacts", {"name": "Acme Surgicals", "type": "vendor"})


def test_razorpayx_creates_refuse_unknown_fields(client):
    _expect_refused(
        lambda: client.post("/v1/contacts", {"name": "Acme Surgicals", "gstin": "X"}),
        "gstin is/are not required and should not be sent",
    )
    contact = _contact(client)
    bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": "123456789012"}
    _expect_refused(
        lambda: client.post(
            "/v1/fund_accounts",
            {
                "contact_id": contact["id"],
                "account_type": "bank_account",
                "bank_account": bank,
                "primary": True,
            },
        ),
        "primary is/are not required and should not be sent",
    )
    account = client.post(
        "/v1/fund_accounts",
        {"contact_id": contact["id"], "account_type": "bank_account", "bank_account": bank},
    )
    payout = {"account_number": ACCOUNT, "fund_account_id": account["id"], "amount": 1000, "currency": "INR",
              "mode": "IMPS", "purpose": "payout"}  # fmt: skip
    _expect_refused(
        lambda: client.post(
            "/v1/payouts", {**payout, "priority": "high"}, headers={"X-Payout-Idempotency": "k-001"}
        ),
        "priority is/are not required and should not be sent",
    )
    link = {"account_number": ACCOUNT, "contact": {"id": contact["id"]}, "amount": 1000, "currency": "INR",
            "purpose": "refund", "description": "Refund"}  # fmt: skip
    _expect_refused(
        lambda: client.post("/v1/payout-links", {**link, "fund_account_id": account["id"]}),
        "fund_account_id is/are not required and should not be sent",
    )
    _expect_refused(
        lambda: client.post(
            "/v1/fund_accounts/validations",
            {
                "account_number": ACCOUNT,
                "fund_account": {"id": account["id"]},
                "validation_type": "pennyless",
            },
        ),
        "validation_type is/are not required and should not be sent",
    )
    assert not SandboxObject.objects.filter(
        entity__in=("payout", "payout_link", "fund_account_validation")
    ).exists()


def test_a_composite_payout_still_carries_its_contact(client):
    body = {
        "account_number": ACCOUNT,
        "amount": 1000,
        "currency": "INR",
        "mode": "IMPS",
        "purpose": "payout",
        "fund_account": {
            "account_type": "bank_account",
            "bank_account": {
                "name": "Acme Surgicals",
                "ifsc": "HDFC0000053",
                "account_number": "123456789012",
            },
            "contact": {"name": "Acme Surgicals", "type": "vendor"},
        },
    }

    payout = client.post("/v1/payouts", body, headers={"X-Payout-Idempotency": "k-002"})

    assert payout["status"] == "processing"
