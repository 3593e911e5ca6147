"""A payment link with accept_partial: the hosted page asks for an amount; part → partially_paid, the rest → paid."""

from urllib.parse import parse_qsl, urlsplit

import pytest
import razorpay
from django.test import Client

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpay")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _link(client, **overrides):
    body = {
        "amount": 150000,
        "currency": "INR",
        "accept_partial": True,
        "first_min_partial_amount": 50000,
        "reference_id": "BILL-9",
        "callback_url": "https://hospital.example/link/return",
        "callback_method": "get",
        **overrides,
    }
    return client.payment_link.create(body)


def _pay(link, amount: str | None, outcome: str = "success"):
    form = {"method": "upi", "vpa": "success@razorpay", "outcome": outcome}
    if amount is not None:
        form["amount"] = amount
    return Client(HTTP_HOST="sandbox.testserver").post(urlsplit(link["short_url"]).path, form)


def _callback(response) -> dict[str, str]:
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response["Location"]).query, keep_blank_values=True))


def test_the_page_asks_for_an_amount_and_says_the_first_minimum(client):
    link = _link(client)

    page = Client(HTTP_HOST="sandbox.testserver").get(urlsplit(link["short_url"]).path).content.decode()

    assert 'name="amount" value="1500.00"' in page
    assert "the first payment must be at least ₹500.00" in page
    plain = client.payment_link.create({"amount": 1000, "currency": "INR"})
    assert 'name="amount"' not in Client().get(urlsplit(plain["short_url"]).path).content.decode()


def test_paying_part_then_the_rest(client):
    link = _link(client)

    first = _callback(_pay(link, "600.00"))

    partly = client.payment_link.fetch(link["id"])
    assert (partly["status"], partly["amount_paid"]) == ("partially_paid", 60000)
    assert first["razorpay_payment_link_status"] == "partially_paid"
    assert client.utility.verify_payment_link_signature(
        {
            "payment_link_id": link["id"],
            "payment_link_reference_id": "BILL-9",
            "payment_link_status": "partially_paid",
            "razorpay_payment_id": first["razorpay_payment_id"],
            "razorpay_signature": first["razorpay_signature"],
        }
    )
    assert client.payment.fetch(first["razorpay_payment_id"])["amount"] == 60000
    order = client.order.fetch(link["order_id"])
    assert (order["status"], order["amount_paid"], order["amount_due"]) == ("attempted", 60000, 90000)
    page = Client(HTTP_HOST="sandbox.testserver").get(urlsplit(link["short_url"]).path).content.decode()
    assert "₹600.00 paid so far; ₹900.00 due." in page and 'name="amount" value="900.00"' in page

    second = _callback(_pay(link, "900.00"))

    paid = client.payment_link.fetch(link["id"])
    assert (paid["status"], paid["amount_paid"], second["razorpay_payment_link_status"]) == (
        "paid",
        150000,
        "paid",
    )
    assert [(p["payment_id"], p["amount"]) for p in paid["payments"]] == [
        (first["razorpay_payment_id"], 60000),
        (second["razorpay_payment_id"], 90000),
    ]
    assert client.order.fetch(link["order_id"])["status"] == "paid"
    events = list(SandboxWebhookDelivery.objects.order_by("id").values_list("event_type", flat=True))
    assert events.count("payment_link.partially_paid") == 1 and events[-1] == "payment_link.paid"


@pytest.mark.parametrize(
    ("first_minimum", "amount", "message"),
    [
        (50000, "499.99", "The first payment must be at least ₹500.00."),
        (None, "1500.01", "The amount may not be greater than the amount due."),
        (None, "0.50", "The amount must be at least INR 1.00"),
        (None, "12.345", "Enter the amount in rupees, for example 500.00."),
    ],
)
def test_amounts_the_link_does_not_take_are_refused_on_the_page(client, first_minimum, amount, message):
    link = _link(client, first_min_partial_amount=first_minimum)

    response = _pay(link, amount)

    assert response.status_code == 400 and message in response.content.decode()
    assert client.payment_link.fetch(link["id"])["status"] == "created"
    assert not SandboxObject.objects.filter(entity="payment").exists()


def test_after_the_first_payment_any_part_is_taken(client):
    link = _link(client)
    _pay(link, "500.00")

    _pay(link, "1.00")

    assert client.payment_link.fetch(link["id"])["amount_paid"] == 50100


def test_a_link_without_accept_partial_takes_only_the_whole_amount(client):
    link = client.payment_link.create({"amount": 150000, "currency": "INR"})

    _pay(link, "100.00")

    paid = client.payment_link.fetch(link["id"])
    assert (paid["status"], paid["amount_paid"]) == ("paid", 150000)


def test_partial_links_are_validated(client):
    with pytest.raises(razorpay.errors.BadRequestError, match="^partial payment not supported in upi link$"):
        _link(client, upi_link=True)
    with pytest.raises(
        razorpay.errors.BadRequestError,
        match="^The first min partial amount may not be greater than the amount.$",
    ):
        _link(client, first_min_partial_amount=150001)
    assert not SandboxObject.objects.filter(entity="payment_link").exists()
    link = _link(client, first_min_partial_amount=None)
    assert (link["accept_partial"], link["first_min_partial_amount"]) == (True, 0)
