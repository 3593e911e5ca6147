"""Fuzz: no request to any Razorpay sandbox route gets a 5xx; API errors keep Razorpay's shape.

Every route in the sandbox's URLconf under razorpay/ is fuzzed (routes added later too),
with valid Basic auth most of the time so the fuzz reaches validation, and without.
"""

import base64
import json

import pytest
from hypothesis import strategies as st

from skinspire.core.tests import bad_input
from skinspire.core.tests.bad_input import FuzzRequest, chance
from skinspire.sandbox.tests import fuzzing
from skinspire.sandbox.tests.fuzz_state import ACCOUNT, BANK_ACCOUNT, razorpay_state

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = 12
ROUTES = [route for route in fuzzing.sandbox_routes() if route.protocol == "razorpay"]
IDEMPOTENCY_HEADERS = {
    "X-Payout-Idempotency": ["fuzz-key-0001", "fuzz-key-0002"],
    "X-Refund-Idempotency": ["fuzz-refund-000001"],
}


@pytest.fixture
def state():
    return razorpay_state()


def plausible_fields(state) -> dict[str, list]:
    """A valid-looking value for every field any Razorpay route reads."""
    ids = state.ids
    return {
        "amount": [100000, "100000", 1000],
        "currency": ["INR"],
        "receipt": ["OPD-1"],
        "notes": [{"bill": "OPD-1"}],
        "partial_payment": [False, True],
        "payment_capture": [1, 0],
        "first_payment_min_amount": [100],
        "account_number": [ACCOUNT],
        "fund_account_id": ids["fund_account"],
        "mode": ["IMPS", "NEFT", "RTGS", "UPI"],
        "purpose": ["vendor bill", "refund"],
        "queue_if_low_balance": [False, True],
        "reference_id": ["REF-1"],
        "narration": ["Supplier payment"],
        "name": ["Acme Surgicals"],
        "email": ["accounts@acme.example"],
        "contact": ["9000090000", {"id": ids["contact"][0]}, {"name": "Acme Surgicals", "type": "vendor"}],
        "type": ["vendor"],
        "contact_id": ids["contact"],
        "account_type": ["bank_account", "vpa"],
        "bank_account": [BANK_ACCOUNT],
        "vpa": [{"address": "acme@upi"}],
        "fund_account": [
            {
                "account_type": "bank_account",
                "bank_account": BANK_ACCOUNT,
                "contact": {"name": "Acme Surgicals"},
            }
        ],  # fmt: skip
        "speed": ["normal", "optimum"],
        "payment_id": ids["payment"],
        "expire_by": [2_000_000_000],
        "callback_url": ["https://hospital.example/return"],
        "callback_method": ["get"],
        "customer": [{"name": "A Patient", "email": "patient@example.com", "contact": "+919000090000"}],
        "notify": [{"sms": True, "email": False}],
        "accept_partial": [False, True],
        "first_min_partial_amount": [100],
        "description": ["OPD bill"],
        "reminder_enable": [False],
        "upi_link": [False],
        "send_sms": [False],
        "send_email": [False],
        "count": ["5", 10],
        "skip": ["0"],
        "from": ["0"],
        "to": ["2000000000"],
        "year": ["2026"],
        "month": ["5"],
        "day": ["1"],
        "status": ["captured"],
    }


def authorization(draw, state) -> str | None:
    merchant = state.merchant
    if chance(draw, 8):
        user, password = merchant.key_id, merchant.key_secret
    elif chance(draw, 5):
        user, password = merchant.key_id, draw(bad_input.header_text)
    else:
        return draw(
            st.sampled_from([None, "Basic !!!", "Bearer token", "Basic " + "bm9jb2xvbg==", "Basic /w=="])
        )
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("latin-1", "replace")).decode()


@st.composite
def razorpay_request(draw, route, state) -> FuzzRequest:
    method = fuzzing.method_for(draw, route)
    path = fuzzing.fill_path(draw, route, state.ids_for)
    fields = plausible_fields(state)
    if route.is_page:
        form = {key: draw(st.one_of(st.sampled_from(["upi", "card", "success", "failure"]), bad_input.any_text))
                for key in ("method", "outcome", "vpa", "callback_url") if chance(draw, 7)}  # fmt: skip
        body = bad_input.encode_query(form).encode()
        headers = fuzzing.CSRF_HEADERS if chance(draw, 9) else {}
        return FuzzRequest(method, path, body, "application/x-www-form-urlencoded", headers)
    headers = {}
    if (value := authorization(draw, state)) is not None:
        headers["Authorization"] = value
    for name, samples in IDEMPOTENCY_HEADERS.items():
        if chance(draw, 5):
            headers[name] = draw(st.one_of(st.sampled_from(samples), bad_input.header_text))
    if method in ("GET", "DELETE"):
        query = bad_input.encode_query(bad_input.json_body(draw, fields))
        return FuzzRequest(method, f"{path}?{query}", headers=headers)
    body = (
        bad_input.to_json(bad_input.json_body(draw, fields)).encode()
        if chance(draw, 8)
        else draw(bad_input.raw_bodies)
    )
    return FuzzRequest(method, path, body, bad_input.content_type_for(draw), headers)


def assert_razorpay_answer(route, response) -> None:
    assert response.status_code < 500, response.data[:500]
    if route.is_page or response.status_code < 400:
        return
    error = json.loads(response.data)["error"]
    assert isinstance(error["code"], str) and error["code"], error
    assert isinstance(error["description"], str) and error["description"], error


def test_every_razorpay_route_answers_bad_input_without_a_server_error(state):
    assert "razorpay/v1/payouts" in {route.pattern for route in ROUTES}  # the URLconf was read

    fuzzing.fuzz_each_route(
        ROUTES,
        examples=EXAMPLES_PER_ROUTE,
        request_for=lambda route: razorpay_request(route, state),
        check=assert_razorpay_answer,
    )
