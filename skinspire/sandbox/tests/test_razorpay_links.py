"""Payment links through the official SDK and the hosted link page."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import razorpay
from django.test import Client
from django.utils import timezone

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.links import payment_link_expire_due
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpay")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _link_body(**overrides):
    return {
        "amount": 150000,
        "currency": "INR",
        "description": "OPD bill 1234",
        "reference_id": "BILL-1234",
        "customer": {"name": "Asha Rao", "email": "asha@example.com", "contact": "+919876543210"},
        "notify": {"sms": False, "email": False},
        "callback_url": "https://hospital.example/link/return",
        "callback_method": "get",
        **overrides,
    }


def _pay_link(short_url, **form):
    path = urlsplit(short_url).path
    browser = Client(HTTP_HOST="sandbox.testserver")
    assert browser.get(path).status_code == 200
    return browser.post(path, {"method": "upi", "vpa": "success@razorpay", "outcome": "success", **form})


def test_sdk_creates_fetches_lists_and_cancels_a_link(client):
    link = client.payment_link.create(_link_body())

    assert link["id"].startswith("plink_")
    assert link["short_url"] == f"http://sandbox.testserver/sandbox/razorpay/l/{link['id']}/"
    assert (link["status"], link["amount"], link["amount_paid"], link["reference_id"], link["payments"]) == (
        "created",
        150000,
        0,
        "BILL-1234",
        None,
    )
    assert link["order_id"].startswith("order_")
    assert client.payment_link.fetch(link["id"]) == link
    assert client.payment_link.all() == {"payment_links": [link]}
    assert client.payment_link.all({"reference_id": "NOPE"}) == {"payment_links": []}

    edited = client.payment_link.edit(link["id"], {"notes": {"ward": "3"}, "reference_id": "BILL-1234-A"})
    assert (edited["notes"], edited["reference_id"]) == ({"ward": "3"}, "BILL-1234-A")

    cancelled = client.payment_link.cancel(link["id"])

    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_at"] > 0
    assert list(SandboxWebhookDelivery.objects.values_list("event_type", flat=True)) == [
        "payment_link.cancelled"
    ]
    with pytest.raises(razorpay.errors.BadRequestError, match="cannot be cancelled in cancelled state"):
        client.payment_link.cancel(link["id"])


def test_link_validation(client):
    with pytest.raises(razorpay.errors.BadRequestError, match="callback_method should be get"):
        client.payment_link.create(_link_body(callback_method="post"))
    client.payment_link.create(_link_body())
    with pytest.raises(razorpay.errors.BadRequestError, match="reference id BILL-1234 already exists"):
        client.payment_link.create(_link_body())
    assert SandboxObject.objects.filter(entity="payment_link").count() == 1


def test_paying_a_link_redirects_with_a_signature_the_sdk_verifies(client, merchant):
    link = client.payment_link.create(_link_body())

    response = _pay_link(link["short_url"])

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://hospital.example/link/return"
    query = dict(parse_qsl(location.query, keep_blank_values=True))
    assert set(query) == {
        "razorpay_payment_id",
        "razorpay_payment_link_id",
        "razorpay_payment_link_reference_id",
        "razorpay_payment_link_status",
        "razorpay_signature",
    }
    assert (query["razorpay_payment_link_id"], query["razorpay_payment_link_status"]) == (link["id"], "paid")
    assert query["razorpay_payment_link_reference_id"] == "BILL-1234"
    verified = client.utility.verify_payment_link_signature(
        {
            "payment_link_id": query["razorpay_payment_link_id"],
            "payment_link_reference_id": query["razorpay_payment_link_reference_id"],
            "payment_link_status": query["razorpay_payment_link_status"],
            "razorpay_payment_id": query["razorpay_payment_id"],
            "razorpay_signature": query["razorpay_signature"],
        }
    )
    assert verified is True
    paid = client.payment_link.fetch(link["id"])
    assert (paid["status"], paid["amount_paid"]) == ("paid", 150000)
    assert [(p["payment_id"], p["status"], p["method"]) for p in paid["payments"]] == [
        (query["razorpay_payment_id"], "captured", "upi")
    ]
    payment = client.payment.fetch(query["razorpay_payment_id"])
    assert (payment["email"], payment["contact"], payment["order_id"]) == (
        "asha@example.com",
        "+919876543210",
        link["order_id"],
    )
    assert client.payment_link.all({"payment_id": payment["id"]}) == {"payment_links": [paid]}
    assert list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True)) == [
        "payment.authorized",
        "payment.captured",
        "order.paid",
        "payment_link.paid",
    ]
    with pytest.raises(razorpay.errors.BadRequestError, match="cannot be cancelled in paid state"):
        client.payment_link.cancel(link["id"])


def test_a_failed_attempt_leaves_the_link_open(client):
    link = client.payment_link.create(_link_body(reference_id=""))

    response = _pay_link(link["short_url"], outcome="failure")

    assert response.status_code == 402
    assert b"Payment failed" in response.content
    assert client.payment_link.fetch(link["id"])["status"] == "created"
    assert client.payment.all()["items"][0]["status"] == "failed"


def test_links_expire_at_expire_by(client, merchant):
    expire_by = int((timezone.now() + timedelta(minutes=20)).timestamp())
    link = client.payment_link.create(_link_body(expire_by=expire_by))
    SandboxObject.objects.filter(object_id=link["id"]).update(
        body={**link, "expire_by": int((timezone.now() - timedelta(minutes=1)).timestamp())}
    )

    assert payment_link_expire_due() == 1

    expired = client.payment_link.fetch(link["id"])
    assert expired["status"] == "expired"
    assert expired["expired_at"] > 0
    response = _pay_link(link["short_url"])
    assert b"This payment link has expired." in response.content
    assert not SandboxObject.objects.filter(entity="payment").exists()
    assert list(SandboxWebhookDelivery.objects.values_list("event_type", flat=True)) == [
        "payment_link.expired"
    ]


def test_link_page_fits_a_phone(client):
    link = client.payment_link.create(_link_body())

    page = Client(HTTP_HOST="sandbox.testserver").get(urlsplit(link["short_url"]).path)

    assert b'<meta name="viewport" content="width=device-width, initial-scale=1">' in page.content
    assert "₹1,500.00" in page.content.decode()
