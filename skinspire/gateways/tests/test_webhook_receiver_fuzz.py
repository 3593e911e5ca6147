"""Fuzz: whatever reaches the two receivers, the answer is a 2xx or a 4xx, never a 5xx.

Bodies are broken in every way core's bad_input knows, sent unsigned, with forged
signatures, and signed properly for the configuration (so parsing is fuzzed too), through
the project's real WSGI entry point.
"""

import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinspire.core.tests.bad_input import (
    CONTENT_TYPES,
    FuzzRequest,
    chance,
    evil_values,
    header_text,
    raw_bodies,
    send_isolated,
    to_json,
    wsgi_client,
)
from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_FuzzAccount0001"
SECRET = "fuzz_whsec_000000001"
MID = "FUZZMID0000000000001"
KEY = "FuzzMerchantKey1"
ALLOWED = {200, 400, 401, 405, 413, 415, 429}


@pytest.fixture
def configurations(hospital):
    GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)
    GatewayConfigurationFactory(paytm=True, hospital=hospital, key_id=MID, paytm_merchant_key=KEY)


def razorpay_request(draw) -> FuzzRequest:
    envelope = {"account_id": ACCOUNT}
    for key in ("entity", "event", "contains", "payload", "created_at"):
        if chance(draw, 7):
            envelope[key] = draw(evil_values) if chance(draw, 5) else _plausible(key)
    body = to_json(envelope).encode("utf-8", "surrogatepass") if chance(draw, 7) else draw(raw_bodies)
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    if chance(draw, 3):
        signature = draw(header_text)
    headers = {"X-Razorpay-Signature": signature}
    if chance(draw, 7):
        headers["X-Razorpay-Event-Id"] = draw(header_text)
    return FuzzRequest("POST", "/api/gateway/webhook/razorpay", body, _content_type(draw), headers)


def paytm_request(draw) -> FuzzRequest:
    fields = {"MID": MID}
    for key in ("ORDERID", "STATUS", "TXNAMOUNT", "REFID", "ARN", "LINKNOTES", "TXNDATETIME"):
        if chance(draw, 6):
            fields[key] = draw(header_text)
    if chance(draw, 7):
        fields["CHECKSUMHASH"] = signing.sign_fields(dict(fields), merchant_key=KEY)
    body = urlencode(fields).encode() if chance(draw, 7) else draw(raw_bodies)
    headers = {"x-mid": MID, "x-checksum": draw(header_text)} if chance(draw, 3) else {}
    return FuzzRequest("POST", "/api/gateway/webhook/paytm", body, _content_type(draw, form=True), headers)


def _plausible(key: str):
    return {
        "entity": "event",
        "event": "payout.processed",
        "contains": ["payout"],
        "payload": {"payout": {"entity": {"id": "pout_1", "status": "processed", "amount": 100}}},
        "created_at": 1755693679,
    }[key]


def _content_type(draw, *, form: bool = False) -> str:
    if chance(draw, 8):
        return "application/x-www-form-urlencoded" if form else "application/json"
    return draw(st.sampled_from(CONTENT_TYPES))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_delivery_gets_a_server_error(configurations, data):
    draw = data.draw
    request = razorpay_request(draw) if chance(draw, 5) else paytm_request(draw)
    if chance(draw, 1):
        request = FuzzRequest(draw(st.sampled_from(["GET", "PUT", "DELETE"])), request.path, request.body)

    response = send_isolated(request, wsgi_client())

    assert response.status_code in ALLOWED, (response.status_code, request)
    if request.method != "POST":
        assert response.status_code == 405
    body = json.loads(response.get_data()) if response.status_code != 405 else {}
    assert response.status_code == 405 or set(body) == {"message", "extra"}
