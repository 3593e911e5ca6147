import base64

import pytest
import razorpay

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return SandboxMerchantFactory()


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def test_sdk_creates_fetches_and_lists_orders(client, merchant):
    created = client.order.create(
        {"amount": 50000, "currency": "INR", "receipt": "BILL-1", "notes": {"bill": "1"}}
    )

    assert created["id"].startswith("order_") and len(created["id"]) == len("order_") + 14
    assert created["id"][6:].isalnum()
    assert {key: created[key] for key in created if key not in ("id", "created_at")} == {
        "entity": "order",
        "amount": 50000,
        "amount_paid": 0,
        "amount_due": 50000,
        "currency": "INR",
        "receipt": "BILL-1",
        "offer_id": None,
        "status": "created",
        "attempts": 0,
        "notes": {"bill": "1"},
    }
    assert client.order.fetch(created["id"]) == created
    second = client.order.create({"amount": "100", "currency": "INR", "receipt": "12121"})  # SDK fixture body
    listed = client.order.all()
    assert listed == {"entity": "collection", "count": 2, "items": [second, created]}
    assert client.order.all({"count": 1, "skip": 1})["items"] == [created]
    assert client.order.payments(created["id"]) == {"entity": "collection", "count": 0, "items": []}
    assert SandboxObject.objects.filter(merchant=merchant, entity="order").count() == 2


@pytest.mark.parametrize(
    ("body", "description", "field"),
    [
        ({"currency": "INR"}, "The amount field is required.", "amount"),
        ({"amount": 99, "currency": "INR"}, "The amount must be at least INR 1.00", "amount"),
        ({"amount": 10.5, "currency": "INR"}, "The amount must be an integer.", "amount"),
        ({"amount": 1000}, "The currency field is required.", "currency"),
        ({"amount": 1000, "currency": "USD"}, "The selected currency is invalid.", "currency"),
        (
            {"amount": 1000, "currency": "INR", "receipt": "R" * 41},
            "The receipt may not be greater than 40 characters.",
            "receipt",
        ),
    ],
)
def test_order_validation_answers_razorpays_error_body(merchant, body, description, field):
    response = _raw(merchant, "post", "/v1/orders", json=body)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "BAD_REQUEST_ERROR",
            "description": description,
            "field": field,
            "source": "business",
            "step": "payment_initiation",
            "reason": "input_validation_failed",
            "metadata": {},
        }
    }
    assert not SandboxObject.objects.exists()


def test_sdk_raises_bad_request_error_with_the_description(client):
    with pytest.raises(razorpay.errors.BadRequestError, match="^The amount must be at least INR 1.00$"):
        client.order.create({"amount": 10, "currency": "INR"})


def test_wrong_secret_is_a_bad_request_error_for_the_sdk(merchant):
    with pytest.raises(razorpay.errors.BadRequestError, match="The api secret provided is invalid"):
        razorpay_client(merchant, secret="wrong").order.all()


def test_unknown_key_gets_401_with_razorpays_body(merchant):
    response = _raw(merchant, "get", "/v1/orders", auth=("rzp_test_nobody", "x"))

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "BAD_REQUEST_ERROR",
            "description": "The api key provided is invalid",
            "field": None,
            "source": "NA",
            "step": "NA",
            "reason": "NA",
            "metadata": {},
        }
    }


@pytest.mark.parametrize("scheme", ["basic", "BASIC", '"Basic"'])
def test_authorization_scheme_must_be_exactly_basic(merchant, scheme):
    from skinspire.gateways.http import new_session

    token = base64.b64encode(f"{merchant.key_id}:{merchant.key_secret}".encode()).decode()
    response = new_session().get(
        "http://sandbox.testserver/sandbox/razorpay/v1/orders", headers={"Authorization": f"{scheme} {token}"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["description"] == "The api key provided is invalid"


def test_missing_credentials_get_401(merchant):
    from skinspire.gateways.http import new_session

    response = new_session().get("http://sandbox.testserver/sandbox/razorpay/v1/orders")

    assert response.status_code == 401
    assert (
        response.json()["error"]["description"] == "Please provide your api key for authentication purposes."
    )


def test_unknown_id_and_unknown_path(client, merchant):
    with pytest.raises(razorpay.errors.BadRequestError, match="^The id provided does not exist$"):
        client.order.fetch("order_DoesNotExist01")
    response = _raw(merchant, "get", "/v1/nothing/here")
    assert response.status_code == 400
    assert response.json()["error"]["description"] == "The requested URL was not found on the server."


def test_merchants_cannot_see_each_others_orders(client):
    other = razorpay_client(SandboxMerchantFactory())
    order = other.order.create({"amount": 1000, "currency": "INR"})

    with pytest.raises(razorpay.errors.BadRequestError):
        client.order.fetch(order["id"])
    assert client.order.all()["count"] == 0


def _raw(merchant, method, path, auth=None, **kwargs):
    from skinspire.gateways.http import new_session

    return getattr(new_session(), method)(
        f"http://sandbox.testserver/sandbox/razorpay{path}",
        auth=auth or (merchant.key_id, merchant.key_secret),
        **kwargs,
    )
