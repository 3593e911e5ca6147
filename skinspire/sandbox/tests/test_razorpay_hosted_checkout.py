"""Razorpay Hosted Checkout: the merchant's page POSTs key_id, order_id and callback_url to
/v1/checkout/embedded (razorpay.com/docs/payments/payment-gateway/web-integration/hosted/)
and the patient pays on the gateway's page, which POSTs the signed result to callback_url."""

import re

import pytest
from django.test import Client

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

EMBEDDED = "/sandbox/razorpay/v1/checkout/embedded"
CALLBACK = "https://hospital.example/pay/return"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="")


@pytest.fixture
def order(merchant):
    return razorpay_client(merchant).order.create({"amount": 150000, "currency": "INR", "receipt": "BILL-1"})


def browser() -> Client:
    # The form comes from the merchant's origin: no CSRF token of the sandbox's, and none needed.
    return Client(HTTP_HOST="sandbox.testserver", enforce_csrf_checks=True)


def form_of(page) -> dict[str, str]:
    html = page.content.decode()
    return {
        "action": re.findall(r'<form method="post" action="([^"]+)"', html)[0],
        "callback_url": re.findall(r'name="callback_url" value="([^"]*)"', html)[0],
    }


def test_the_merchants_form_opens_the_orders_page_and_the_payment_reaches_the_callback(merchant, order):
    visitor = browser()
    page = visitor.post(
        EMBEDDED,
        {
            "key_id": merchant.key_id,
            "order_id": order["id"],
            "callback_url": CALLBACK,
            "prefill[name]": "Asha Rao",
        },
    )

    assert page.status_code == 200
    assert page.context["amount"] == "₹1,500.00"
    assert form_of(page) == {"action": f"/sandbox/razorpay/checkout/{order['id']}/", "callback_url": CALLBACK}

    token = page.cookies["csrftoken"].value
    paid = visitor.post(
        form_of(page)["action"],
        {"method": "upi", "vpa": "success@razorpay", "outcome": "success", "callback_url": CALLBACK},
        HTTP_X_CSRFTOKEN=token,
    )
    assert paid.status_code == 200
    assert paid.context["url"] == CALLBACK
    assert razorpay_client(merchant).utility.verify_payment_signature(paid.context["fields"]) is True
    assert razorpay_client(merchant).order.fetch(order["id"])["status"] == "paid"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"order_id": "order_x"}, "The checkout form must send key_id and order_id."),
        ({"key_id": "rzp_test_x"}, "The checkout form must send key_id and order_id."),
        (
            {"key_id": "rzp_test_x", "order_id": "order_unknown00000"},
            "No order order_unknown00000 for the key id rzp_test_x.",
        ),
    ],
    ids=["no-key", "no-order", "unknown-order"],
)
def test_an_incomplete_or_unknown_form_is_refused(fields, message):
    page = browser().post(EMBEDDED, fields)
    assert page.status_code == 400
    assert page.context["message"] == message


def test_another_accounts_key_id_cannot_open_the_order(order):
    stranger = SandboxMerchantFactory()
    page = browser().post(EMBEDDED, {"key_id": stranger.key_id, "order_id": order["id"]})
    assert page.status_code == 400
    assert page.context["message"] == f"No order {order['id']} for the key id {stranger.key_id}."
    assert SandboxObject.objects.filter(entity="payment").count() == 0


def test_only_the_form_post_is_served():
    assert browser().get(EMBEDDED).status_code == 405
