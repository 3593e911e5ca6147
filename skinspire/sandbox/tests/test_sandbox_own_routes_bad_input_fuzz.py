"""Fuzz: the sandbox's own routes (home page, controls), outside either gateway's protocol,
answer bad input without a 5xx; their JSON errors are the project's `{"message", "extra"}`.

Every sandbox route that is neither under razorpay/ nor paytm/ is read from the URLconf, so
a control added later is fuzzed too. Requests carry a Razorpay merchant's Basic auth, a
Paytm merchant's `x-mid` and checksum, or nothing.
"""

import base64
import json

import pytest
from hypothesis import strategies as st
from paytmchecksum import PaytmChecksum

from skinspire.core.tests import bad_input
from skinspire.core.tests.bad_input import FuzzRequest, chance
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, paytm_merchant_create
from skinspire.sandbox.tests import fuzzing
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = 12
ROUTES = [route for route in fuzzing.sandbox_routes() if route.protocol not in ("razorpay", "paytm")]


@pytest.fixture
def razorpay_merchant():
    paytm_merchant_create(webhook_url="")
    return SandboxMerchantFactory(webhook_url="")


def credentials(draw, razorpay_merchant, text: str) -> dict[str, str]:
    if chance(draw, 4):
        secret = f"{razorpay_merchant.key_id}:{razorpay_merchant.key_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(secret).decode()}
    if chance(draw, 7):
        # A fixed salt: the library's own draws from `random`, which has no place in a strategy.
        checksum = PaytmChecksum.calculateChecksum(text, MERCHANT_KEY, "FUZZ") if text.isascii() else "x"
        return {"x-mid": MID, "x-checksum": checksum}
    return {}


@st.composite
def own_route_request(draw, route, razorpay_merchant) -> FuzzRequest:
    method = fuzzing.method_for(draw, route)
    path = fuzzing.fill_path(draw, route, lambda name, segment: [])
    fields = {"date": ["2026-05-01"], "razorpay_payment_id": ["pay_1"], "error[code]": ["BAD_REQUEST_ERROR"]}
    if chance(draw, 2):
        path += "?" + bad_input.encode_query(bad_input.json_body(draw, fields))
    body = (
        bad_input.to_json(bad_input.json_body(draw, fields)).encode()
        if chance(draw, 7)
        else draw(bad_input.raw_bodies)
    )
    headers = credentials(draw, razorpay_merchant, body.decode("latin-1"))
    return FuzzRequest(method, path, body, bad_input.content_type_for(draw), headers)


def assert_own_answer(route, response) -> None:
    assert response.status_code < 500, response.data[:500]
    if response.status_code >= 400 and response.mimetype == "application/json":
        document = json.loads(response.data)
        assert isinstance(document["message"], str) and isinstance(document["extra"], dict), document


def test_every_sandbox_own_route_answers_bad_input_without_a_server_error(razorpay_merchant):
    assert "control/settle-now" in {route.pattern for route in ROUTES}  # the URLconf was read

    fuzzing.fuzz_each_route(
        ROUTES,
        examples=EXAMPLES_PER_ROUTE,
        request_for=lambda route: own_route_request(route, razorpay_merchant),
        check=assert_own_answer,
    )
