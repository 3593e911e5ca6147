"""The hosted checkout, capture and refunds, driven by the official SDK."""

import pytest
import razorpay
from django.test import Client

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.refunds import refund_process
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

CALLBACK = "https://hospital.example/pay/return"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpay")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _pay(order_id, *, outcome="success", method="upi", vpa="success@razorpay", callback_url=CALLBACK):
    browser = Client(HTTP_HOST="sandbox.testserver")
    page = browser.get(f"/sandbox/razorpay/checkout/{order_id}/", {"callback_url": callback_url})
    assert page.status_code == 200
    assert b'name="viewport"' in page.content
    return browser.post(
        f"/sandbox/razorpay/checkout/{order_id}/",
        {"method": method, "vpa": vpa, "outcome": outcome, "callback_url": callback_url},
    )


def test_checkout_success_posts_signed_parameters_the_sdk_verifies(client, merchant):
    order = client.order.create({"amount": 50000, "currency": "INR", "receipt": "OPD-1234"})

    response = _pay(order["id"])

    assert response.status_code == 200
    fields = response.context["fields"]
    assert response.context["url"] == CALLBACK
    assert f'action="{CALLBACK}"'.encode() in response.content
    assert set(fields) == {"razorpay_payment_id", "razorpay_order_id", "razorpay_signature"}
    assert fields["razorpay_order_id"] == order["id"]
    assert client.utility.verify_payment_signature(fields) is True
    with pytest.raises(razorpay.errors.SignatureVerificationError):
        razorpay_client(merchant, secret="another").utility.verify_payment_signature(fields)

    payment = client.payment.fetch(fields["razorpay_payment_id"])
    assert payment["id"].startswith("pay_")
    assert (payment["status"], payment["captured"], payment["method"], payment["vpa"]) == (
        "captured",
        True,
        "upi",
        "success@razorpay",
    )
    # 2% of ₹500 = ₹10.00 fee + 18% GST ₹1.80 = 1180 paise, GST 180 (the reference sample).
    assert (payment["amount"], payment["fee"], payment["tax"]) == (50000, 1180, 180)
    order_after = client.order.fetch(order["id"])
    assert (
        order_after["status"],
        order_after["amount_paid"],
        order_after["amount_due"],
        order_after["attempts"],
    ) == (
        "paid",
        50000,
        0,
        1,
    )
    assert client.order.payments(order["id"])["items"] == [payment]
    assert list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True)) == [
        "payment.authorized",
        "payment.captured",
        "order.paid",
    ]


def test_checkout_failure_records_a_failed_payment_and_posts_the_error(client):
    order = client.order.create({"amount": 1000, "currency": "INR"})

    response = _pay(order["id"], outcome="failure", method="card")

    fields = response.context["fields"]
    assert fields["error[code]"] == "BAD_REQUEST_ERROR"
    assert fields["error[reason]"] == "payment_failed"
    payment = client.order.payments(order["id"])["items"][0]
    assert (payment["status"], payment["error_code"], payment["error_reason"], payment["method"]) == (
        "failed",
        "BAD_REQUEST_ERROR",
        "payment_failed",
        "card",
    )
    assert client.order.fetch(order["id"])["status"] == "attempted"
    assert list(SandboxWebhookDelivery.objects.values_list("event_type", flat=True)) == ["payment.failed"]


def test_upi_failure_vpa_fails_even_when_paying(client):
    order = client.order.create({"amount": 1000, "currency": "INR"})

    _pay(order["id"], vpa="failure@razorpay")

    assert client.order.payments(order["id"])["items"][0]["status"] == "failed"


def test_without_callback_url_the_page_shows_the_result(client):
    order = client.order.create({"amount": 1000, "currency": "INR"})

    response = _pay(order["id"], method="netbanking", callback_url="")

    assert response.status_code == 200
    assert b"Payment successful" in response.content
    assert client.utility.verify_payment_signature(response.context["fields"]) is True


def test_a_paid_order_takes_no_second_payment(client):
    order = client.order.create({"amount": 1000, "currency": "INR"})
    _pay(order["id"])

    response = _pay(order["id"])

    assert response.status_code == 400
    assert response.context["error"] == "Order has already been paid"
    assert SandboxObject.objects.filter(entity="payment").count() == 1


def test_manual_capture_through_the_sdk(client):
    order = client.order.create({"amount": 20000, "currency": "INR", "payment_capture": 0})
    payment_id = _pay(order["id"]).context["fields"]["razorpay_payment_id"]
    assert client.payment.fetch(payment_id)["status"] == "authorized"
    assert client.order.fetch(order["id"])["status"] == "attempted"

    with pytest.raises(razorpay.errors.BadRequestError, match="Capture amount must be equal"):
        client.payment.capture(payment_id, 10000, {"currency": "INR"})
    assert client.payment.fetch(payment_id)["status"] == "authorized"

    captured = client.payment.capture(payment_id, 20000, {"currency": "INR"})

    assert (captured["status"], captured["captured"], captured["fee"], captured["tax"]) == (
        "captured",
        True,
        472,
        72,
    )
    assert client.order.fetch(order["id"])["status"] == "paid"
    with pytest.raises(razorpay.errors.BadRequestError, match="already been captured"):
        client.payment.capture(payment_id, 20000, {"currency": "INR"})


def test_refunds_partial_then_full_with_idempotency(client):
    order = client.order.create({"amount": 30000, "currency": "INR"})
    payment_id = _pay(order["id"]).context["fields"]["razorpay_payment_id"]

    first = client.payment.refund(
        payment_id, {"amount": 10000}, headers={"X-Refund-Idempotency": "refund-key-0001"}
    )
    again = client.payment.refund(
        payment_id, {"amount": 10000}, headers={"X-Refund-Idempotency": "refund-key-0001"}
    )

    assert again == first
    assert first["id"].startswith("rfnd_")
    assert (first["status"], first["amount"], first["payment_id"], first["speed_requested"]) == (
        "pending",
        10000,
        payment_id,
        "normal",
    )
    with pytest.raises(
        razorpay.errors.BadRequestError, match="Different request body sent for the same Idempotency"
    ):
        client.payment.refund(
            payment_id, {"amount": 5000}, headers={"X-Refund-Idempotency": "refund-key-0001"}
        )
    with pytest.raises(razorpay.errors.BadRequestError, match="greater than amount captured"):
        client.payment.refund(payment_id, {"amount": 20001})
    assert SandboxObject.objects.filter(entity="refund").count() == 1

    rest = client.payment.refund(payment_id, {})

    assert rest["amount"] == 20000
    payment = client.payment.fetch(payment_id)
    assert (payment["amount_refunded"], payment["refund_status"], payment["status"]) == (
        30000,
        "full",
        "refunded",
    )
    assert client.payment.fetch_multiple_refund(payment_id)["count"] == 2
    assert refund_process(refund_id=first["id"]).body["status"] == "processed"
    processed = client.refund.fetch(first["id"])
    assert (processed["status"], processed["speed_processed"], len(processed["acquirer_data"]["arn"])) == (
        "processed",
        "normal",
        14,
    )
    assert client.payment.fetch_refund_id(payment_id, first["id"]) == processed
    assert client.refund.all()["count"] == 2
    events = list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True))
    assert events[-3:] == ["refund.created", "refund.created", "refund.processed"]


def test_refund_runs_after_commit_when_tasks_run(client, django_capture_on_commit_callbacks):
    order = client.order.create({"amount": 30000, "currency": "INR"})
    payment_id = _pay(order["id"]).context["fields"]["razorpay_payment_id"]

    with django_capture_on_commit_callbacks(execute=True):
        refund = client.payment.refund(payment_id, {"amount": 100})

    assert client.refund.fetch(refund["id"])["status"] == "processed"


def test_refund_of_an_uncaptured_payment_is_refused(client):
    order = client.order.create({"amount": 20000, "currency": "INR", "payment_capture": 0})
    payment_id = _pay(order["id"]).context["fields"]["razorpay_payment_id"]

    with pytest.raises(razorpay.errors.BadRequestError, match="The payment has not been captured"):
        client.payment.refund(payment_id, {"amount": 100})
    assert not SandboxObject.objects.filter(entity="refund").exists()
