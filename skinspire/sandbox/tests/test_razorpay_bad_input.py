"""Bad input to the Razorpay sandbox is a 400 in Razorpay's error shape, and writes nothing.

Each case here was a 500 found by fuzzing (test_razorpay_bad_input_fuzz.py).
"""

import base64
import json

import pytest
from django.test import Client

from skinspire.core.middleware import MESSAGE as NUL_MESSAGE
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.tests.fuzz_state import ACCOUNT, razorpay_basics

pytestmark = pytest.mark.django_db

API = "/sandbox/razorpay/v1"


@pytest.fixture
def state():
    return razorpay_basics()


def call(state, method: str, path: str, body: bytes | dict | None = None, **headers):
    credentials = f"{state.merchant.key_id}:{state.merchant.key_secret}".encode()
    data = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
    return Client().generic(
        method,
        API + path,
        data=data,
        content_type="application/json",
        headers={"Authorization": "Basic " + base64.b64encode(credentials).decode(), **headers},
    )


def error_of(response, status: int = 400) -> tuple[str, str | None]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == "BAD_REQUEST_ERROR"
    return error["description"], error["field"]


def payout_body(state, **overrides) -> dict:
    return {"account_number": ACCOUNT, "fund_account_id": state.ids["fund_account"][0], "amount": 100000,
            "currency": "INR", "mode": "IMPS", "purpose": "vendor bill", **overrides}  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "description", "field"),
    [
        ({"mode": {}}, "The selected mode is invalid.", "mode"),
        ({"mode": ["IMPS"]}, "The selected mode is invalid.", "mode"),
        ({"purpose": {"a": 1}}, "The selected purpose is invalid.", "purpose"),
        ({"narration": {"a": 1}}, "The narration must be a string.", "narration"),
        ({"amount": 1e30}, "The amount must be an integer.", "amount"),
        ({"amount": 10**30}, "The amount must be an integer.", "amount"),
        ({"amount": "1e30"}, "The amount must be an integer.", "amount"),
        ({"amount": "²"}, "The amount must be an integer.", "amount"),
        ({"amount": 1.5}, "The amount must be an integer.", "amount"),
        ({"amount": True}, "The amount must be an integer.", "amount"),
        ({"amount": -100}, "The amount must be at least INR 1.00", "amount"),
        ({"amount": 10**13}, "The amount may not be greater than 1000000000000.", "amount"),
    ],
)
def test_a_payout_with_a_field_of_the_wrong_type_or_range_is_a_400_and_moves_no_money(
    state, overrides, description, field
):
    payouts_before = SandboxObject.objects.filter(entity="payout").count()
    balance_before = SandboxMerchant.objects.get(pk=state.merchant.pk).balance_paise

    response = call(
        state, "POST", "/payouts", payout_body(state, **overrides), **{"X-Payout-Idempotency": "key-0002"}
    )

    assert error_of(response) == (description, field)
    assert SandboxObject.objects.filter(entity="payout").count() == payouts_before
    assert SandboxMerchant.objects.get(pk=state.merchant.pk).balance_paise == balance_before


def test_a_body_nested_1000_deep_is_a_400(state):
    orders_before = SandboxObject.objects.filter(entity="order").count()

    response = call(state, "POST", "/orders", b'{"amount":' + b"[" * 1000 + b"]" * 1000 + b"}")

    assert error_of(response) == (
        "The request body is not valid JSON: The JSON is nested more than 32 levels deep.",
        None,
    )
    assert SandboxObject.objects.filter(entity="order").count() == orders_before


def test_a_lone_surrogate_in_an_id_is_a_400(state):
    refund = call(state, "POST", "/refunds", b'{"payment_id": "pay_\\ud800", "amount": 100}')
    fetched = call(state, "GET", "/payments/pay_%ED%A0%80")  # the surrogate as UTF-8 bytes in the path

    assert error_of(refund)[0].endswith(
        "The JSON holds a NUL character or a lone surrogate (\\ud800-\\udfff)."
    )
    assert error_of(fetched) == ("The id provided does not exist", None)
    assert not SandboxObject.objects.filter(entity="refund").exists()


@pytest.mark.parametrize("path", ["/payments/%00", "/orders?receipt=%00"])
def test_nul_in_the_url_is_a_400_in_razorpay_s_shape(state, path):
    response = call(state, "GET", path)

    assert error_of(response) == (NUL_MESSAGE, None)


@pytest.mark.parametrize(
    ("path", "body", "description"),
    [
        ("/refunds", {"speed": {}}, "The selected speed is invalid."),
        ("/contacts", {"name": "Acme Surgicals", "email": {"a": 1}}, "The email must be a string."),
        ("/payment_links", {"amount": 1000, "customer": "Asha"}, "The customer must be an array."),
        (
            "/payment_links",
            {"amount": 1000, "notify": {"sms": "yes"}},
            "The notify contains an invalid value.",
        ),
        ("/payment_links", {"amount": 1000, "callback_method": {}}, "The callback_method must be a string."),
        (
            "/orders",
            {"amount": 1000, "currency": "INR", "notes": {"ward": {}}},
            "The notes value must be a string.",
        ),
    ],
)
def test_an_object_where_text_is_expected_is_a_400(state, path, body, description):
    if path == "/refunds":
        body = {
            **body,
            "payment_id": SandboxObject.objects.get(entity="payment", status="captured").object_id,
        }
    objects_before = SandboxObject.objects.count()

    response = call(state, "POST", path, body)

    assert error_of(response)[0] == description
    assert SandboxObject.objects.count() == objects_before


def test_a_bank_account_whose_ifsc_is_an_object_is_a_400(state):
    body = {"contact_id": state.ids["contact"][0], "account_type": "bank_account",
            "bank_account": {"name": "Acme Surgicals", "ifsc": {"a": 1}, "account_number": "123456789012"}}  # fmt: skip

    response = call(state, "POST", "/fund_accounts", body)

    assert error_of(response) == ("The ifsc must be 11 characters.", "ifsc")


@pytest.mark.parametrize(
    ("query", "description"),
    [
        ("/settlements/recon/combined?year=2026&month=5&day=%C2%B2", "The day must be 1 or 2 digits."),
        ("/settlements/recon/combined?year=%D9%A2%D9%A0%D9%A2%D9%A6&month=5", "The year must be 4 digits."),
        ("/orders?count=" + "9" * 25, "The count must be an integer."),
        ("/orders?skip=%C2%B2", "The skip must be an integer."),
    ],
)
def test_digits_that_are_not_ascii_or_too_many_are_a_400(state, query, description):
    assert error_of(call(state, "GET", query))[0] == description
