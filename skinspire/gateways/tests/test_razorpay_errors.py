"""Razorpay failures become our GatewayError family with the right outcome (reference §7).

Each case is driven at the HTTP layer, through the real SDK, and leaves one log row.
"""

from decimal import Decimal

import pytest
import requests
import responses
import urllib3.exceptions
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool

from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayAuthenticationError,
    GatewayNotFoundError,
    GatewayTimeoutError,
    GatewayUnreachableError,
)
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import Customer, OrderRequest, RefundRequest
from skinspire.gateways.tests.test_razorpay_support import BASE, bank_payout, fixture, make_provider

pytestmark = pytest.mark.django_db

PAYOUTS = f"{BASE}/v1/payouts"


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


def refused() -> requests.exceptions.ConnectionError:
    """What requests raises when connect() is refused: the urllib3 cause chain included."""
    cause = urllib3.exceptions.NewConnectionError(
        HTTPConnection("api.razorpay.test"), "[Errno 111] Connection refused"
    )
    pool = HTTPConnectionPool("api.razorpay.test")  # builds no connection
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(pool, "/v1/payouts", cause))


def error_body(code: str, description: str, **extra) -> dict:
    return {"error": {"code": code, "description": description, **extra}}


def id_not_found_body() -> dict:
    return error_body("BAD_REQUEST_ERROR", "The id provided does not exist", field="id")


@responses.activate
def test_bad_request_is_a_definite_failure_with_the_gateway_code(provider):
    responses.post(PAYOUTS, status=400, json=fixture("bad_request_error"))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    error = caught.value
    assert (error.code, error.http_status, error.gateway_message) == (
        "BAD_REQUEST_ERROR",
        400,
        "The amount is invalid",
    )
    assert (error.provably_failed, error.retryable) == (True, False)
    assert error.extra["field"] == "amount"
    assert error.message == "Razorpay refused the request: The amount is invalid"
    row = GatewayTransactionLog.objects.get()
    assert (row.outcome, row.http_status, row.operation) == ("error", 400, "create_payout")
    assert row.response_body == fixture("bad_request_error")
    assert row.error_message == "Razorpay refused the request: The amount is invalid"


@responses.activate
def test_unauthorised_says_to_check_the_keys(provider):
    responses.post(PAYOUTS, status=401, json=error_body("BAD_REQUEST_ERROR", "Authentication failed"))

    with pytest.raises(GatewayAuthenticationError) as caught:
        provider.create_payout(bank_payout())

    assert caught.value.http_status == 401
    assert (caught.value.provably_failed, caught.value.retryable) == (True, False)
    assert "check the key id and key secret" in caught.value.message


@responses.activate
def test_an_unknown_id_is_not_found_though_razorpay_answers_400(provider):
    responses.get(PAYOUTS + "/pout_Missing0000001", status=400, json=id_not_found_body())

    with pytest.raises(GatewayNotFoundError) as caught:
        provider.fetch_payout(gateway_payout_id="pout_Missing0000001")

    assert (caught.value.code, caught.value.http_status, caught.value.status_code) == ("not_found", 400, 404)
    assert caught.value.gateway_message == "The id provided does not exist"


@responses.activate
def test_an_unknown_url_is_a_refusal_not_a_missing_object(provider):
    # Razorpay's 400 for a path or verb it does not have: our bug, not an absent object.
    body = error_body("BAD_REQUEST_ERROR", "The requested URL was not found on the server.")
    responses.get(PAYOUTS + "/pout_Missing0000001", status=400, json=body)

    with pytest.raises(GatewayAPIError) as caught:
        provider.fetch_payout(gateway_payout_id="pout_Missing0000001")

    assert type(caught.value) is GatewayAPIError
    assert (caught.value.code, caught.value.provably_failed) == ("BAD_REQUEST_ERROR", True)


@responses.activate
def test_throttled_is_retryable_and_not_acted_on(provider):
    responses.post(PAYOUTS, status=429, json=error_body("BAD_REQUEST_ERROR", "Too many requests"))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    assert (caught.value.provably_failed, caught.value.retryable) == (True, True)


@responses.activate
def test_refund_still_in_flight_409_is_an_unknown_outcome(provider):
    responses.post(f"{BASE}/v1/payments/pay_1/refund", status=409, json=error_body("CONFLICT", "In progress"))
    with pytest.raises(GatewayAPIError) as caught:
        provider.create_refund(RefundRequest("pay_1", "order_1", "RF-0000000001"))

    assert (caught.value.provably_failed, caught.value.retryable, caught.value.http_status) == (
        False,
        True,
        409,
    )


@responses.activate
def test_server_error_is_an_unknown_outcome(provider):
    responses.post(PAYOUTS, status=500, json=error_body("SERVER_ERROR", "We are facing some trouble"))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    error = caught.value
    assert (error.code, error.http_status, error.provably_failed, error.retryable) == (
        "SERVER_ERROR",
        500,
        False,
        True,
    )
    assert GatewayTransactionLog.objects.get().outcome == "error"


@responses.activate
def test_gateway_error_code_on_a_4xx_is_a_definite_failure(provider):
    responses.post(f"{BASE}/v1/orders", status=400, json=error_body("GATEWAY_ERROR", "Bank declined"))
    with pytest.raises(GatewayAPIError) as caught:
        provider.create_order(OrderRequest(amount=Decimal("10.00"), receipt="R-1", customer=Customer("A")))

    assert (caught.value.code, caught.value.provably_failed) == ("GATEWAY_ERROR", True)


@responses.activate
def test_html_502_from_a_proxy_is_an_unknown_outcome(provider):
    responses.post(
        PAYOUTS, status=502, body="<html><body>Bad Gateway</body></html>", content_type="text/html"
    )

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    error = caught.value
    assert (error.code, error.http_status, error.provably_failed, error.retryable) == (
        "unreadable_response",
        502,
        False,
        True,
    )
    row = GatewayTransactionLog.objects.get()
    assert row.response_body == {"text": "[non-JSON body withheld]", "length": 37}


@responses.activate
def test_connection_refused_never_left_so_it_is_provably_failed(provider):
    responses.post(PAYOUTS, body=refused())

    with pytest.raises(GatewayUnreachableError) as caught:
        provider.create_payout(bank_payout())

    assert (caught.value.provably_failed, caught.value.retryable) == (True, True)
    row = GatewayTransactionLog.objects.get()
    assert (row.outcome, row.http_status, row.idempotency_key) == (
        "unreachable",
        None,
        "0b8f6c1e-7a52-4f0e-9d3a-5c2b1e4f6a70",
    )


def test_a_real_refused_socket_is_unreachable(hospital, unreachable_url):
    provider = make_provider(hospital=hospital, base_url=unreachable_url)

    with pytest.raises(GatewayUnreachableError):
        provider.fetch_payout(gateway_payout_id="pout_1")


@responses.activate
def test_connection_broken_after_sending_is_an_unknown_outcome(provider):
    aborted = urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    responses.post(PAYOUTS, body=requests.exceptions.ConnectionError(aborted))

    with pytest.raises(GatewayTimeoutError) as caught:
        provider.create_payout(bank_payout())

    assert caught.value.provably_failed is False
    assert GatewayTransactionLog.objects.get().outcome == "timeout"


@responses.activate
def test_read_timeout_is_an_unknown_outcome(provider):
    responses.post(PAYOUTS, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(GatewayTimeoutError) as caught:
        provider.create_payout(bank_payout())

    assert (caught.value.provably_failed, caught.value.retryable) == (False, True)
    assert GatewayTransactionLog.objects.get().outcome == "timeout"


@responses.activate
def test_connect_timeout_never_left(provider):
    responses.post(PAYOUTS, body=requests.exceptions.ConnectTimeout("connect timed out"))

    with pytest.raises(GatewayUnreachableError):
        provider.create_payout(bank_payout())


@responses.activate
def test_every_call_passes_the_configured_timeout(provider, settings):
    settings.GATEWAY_CONNECT_TIMEOUT, settings.GATEWAY_READ_TIMEOUT = 2.5, 12.0
    responses.get(f"{BASE}/v1/payments/pay_29QQoUBi66xm2f", json=fixture("fake_captured_payment"))

    provider.fetch_payment(gateway_payment_id="pay_29QQoUBi66xm2f")

    assert responses.calls[0].request.req_kwargs["timeout"] == (2.5, 12.0)
