"""Unknown paths and wrong verbs get Razorpay's 400 "URL not found", before authentication."""

from typing import Any

import pytest
import razorpay

from skinspire.gateways.http import new_session
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

BASE = "http://sandbox.testserver/sandbox/razorpay"
NOT_FOUND: dict[str, dict[str, Any]] = {
    "error": {
        "code": "BAD_REQUEST_ERROR",
        "description": "The requested URL was not found on the server.",
        "field": None,
        "source": "NA",
        "step": "NA",
        "reason": "NA",
        "metadata": {},
    }
}


@pytest.fixture
def merchant():
    return SandboxMerchantFactory()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/v1/nothing/here"),
        ("post", "/v1/orders/order_X/capture"),
        ("get", "/v2/accounts"),
        ("get", "/anything-else"),
        ("delete", "/v1/orders"),  # a known path with a verb it does not take
        ("post", "/v1/settlements"),
        ("put", "/v1/payment_links/plink_X"),
        ("get", "/v1/payments/pay_X/capture"),
    ],
)
@pytest.mark.parametrize("authenticated", [True, False])
def test_unknown_url_or_wrong_verb_is_a_400_with_razorpays_body(merchant, method, path, authenticated):
    auth = (merchant.key_id, merchant.key_secret) if authenticated else None

    response = getattr(new_session(), method)(BASE + path, auth=auth, json={"amount": 100})

    assert response.status_code == 400
    assert response.json() == NOT_FOUND
    assert not SandboxObject.objects.exists()


def test_the_sdk_sees_a_bad_request_error(merchant):
    client = razorpay_client(merchant)

    with pytest.raises(
        razorpay.errors.BadRequestError, match="^The requested URL was not found on the server.$"
    ):
        client.delete("/v1/orders", {})


def test_known_paths_still_authenticate_first(merchant):
    response = new_session().get(BASE + "/v1/orders", auth=(merchant.key_id, "wrong"))

    assert response.status_code == 401
    assert response.json()["error"]["description"] == "The api secret provided is invalid"
