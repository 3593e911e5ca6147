"""The receivers are dispatched right after SecurityMiddleware (webhooks/middleware.py):
the session/CSRF/auth layers are skipped, the security headers are not, and every other
path still goes down the whole stack."""

import pytest
from csp.utils import build_policy
from django.test import RequestFactory

from skinspire.core import json_input
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import (
    PAYTM_URL,
    RAZORPAY_URL,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
)
from skinspire.gateways.webhooks.middleware import WebhookFastPathMiddleware
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_FastPath000001"
SECRET = "fast_path_whsec_0001"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)


def rest_of_the_stack(request):
    raise AssertionError(f"{request.path} went down the middleware stack")


@pytest.mark.parametrize("url", [RAZORPAY_URL, PAYTM_URL])
def test_a_receiver_path_goes_to_its_view_without_the_rest_of_the_stack(url):
    middleware = WebhookFastPathMiddleware(rest_of_the_stack)

    response = middleware(RequestFactory().post(url, data=b"{}", content_type="application/json"))

    assert response.status_code == 401  # the view answered: no configuration signed it
    assert response["Content-Security-Policy"] == build_policy()
    assert response["X-Frame-Options"] == "DENY"


def test_every_other_path_goes_down_the_stack():
    reached = []
    middleware = WebhookFastPathMiddleware(lambda request: reached.append(request.path) or "stack")

    for path in (f"{RAZORPAY_URL}/", f"{RAZORPAY_URL}x", "/api/gateway/webhook/", "/admin/"):
        assert middleware(RequestFactory().post(path)) == "stack"

    assert reached == [f"{RAZORPAY_URL}/", f"{RAZORPAY_URL}x", "/api/gateway/webhook/", "/admin/"]


def test_an_accepted_delivery_carries_the_same_security_headers_as_the_rest_of_the_site(
    client, configuration, no_payout_handler, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = post(client, RAZORPAY_URL, body, razorpay_headers(body, secret=SECRET))
    # The same path with a slash is no receiver: the whole stack answers it (404).
    through_the_stack = client.post(f"{RAZORPAY_URL}/")

    assert (accepted.status_code, through_the_stack.status_code) == (200, 404)
    for name in SECURITY_HEADERS:
        assert accepted.has_header(name), name
        assert accepted[name] == through_the_stack[name], name
    # No session, no CSRF: nothing the skipped layers would add for a cookie-less client.
    assert "Set-Cookie" not in accepted
    assert not accepted.cookies
    assert WebhookEvent.objects.get().status == "ignored"


def test_refusals_carry_the_security_headers_too(client):
    refused = client.get(RAZORPAY_URL)

    assert refused.status_code == 405
    for name in SECURITY_HEADERS:
        assert refused.has_header(name), name


def test_over_the_size_limit_is_413_before_the_body_is_parsed(client, configuration, monkeypatch, settings):
    settings.GATEWAY_WEBHOOK_MAX_BODY_BYTES = 1000
    parsed = []
    monkeypatch.setattr(json_input, "loads", lambda *args, **kwargs: parsed.append(args))
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    body = body[:-1] + b" " * 1000 + b"}"

    response = post(client, RAZORPAY_URL, body, razorpay_headers(body, secret=SECRET))

    assert response.status_code == 413
    assert response.has_header("Content-Security-Policy")
    assert parsed == []
    assert not WebhookEvent.objects.exists()


def test_a_nul_in_the_query_string_is_still_a_4xx(client, configuration):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    response = client.post(f"{RAZORPAY_URL}?x=%00", data=body, content_type="application/json")

    assert response.status_code == 401


def test_a_host_the_site_does_not_serve_is_400_and_nothing_is_stored(client, configuration):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    response = post(
        client, RAZORPAY_URL, body, {**razorpay_headers(body, secret=SECRET), "HTTP_HOST": "evil.example"}
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_settings_change_rebuilds_the_headers(client, settings):
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"

    assert client.get(RAZORPAY_URL)["X-Frame-Options"] == "SAMEORIGIN"
