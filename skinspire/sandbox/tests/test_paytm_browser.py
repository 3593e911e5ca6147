"""A patient on a phone pays a Paytm order on the sandbox's hosted checkout, in Chromium.

The merchant side is real HTTP: the order is initiated with `requests` against the live
server, and the checkout's callback form lands on a recording endpoint of this module's
URLconf (never part of the production URLs).
"""

import json
from urllib.parse import urlencode

import pytest
import requests
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxWebhookDelivery
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID


@csrf_exempt
def record_callback(request):
    """Shows what was POSTed, so the browser test can read it off the page."""
    received = escape(json.dumps(request.POST.dict()))
    return HttpResponse(f'<!doctype html><title>Callback</title><pre id="received">{received}</pre>')


urlpatterns = [
    path("merchant/paytm-callback/", record_callback),
    path("", include("skinspire.urls")),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_patient_pays_by_upi_on_a_phone_and_lands_on_the_callback(live_server, browser_context):
    callback_url = f"{live_server.url}/merchant/paytm-callback/"
    testing.paytm_merchant_create(webhook_url=callback_url)  # the S2S webhook comes back over HTTP too
    with override_settings(ROOT_URLCONF=__name__):
        body = {
            "requestType": "Payment",
            "mid": MID,
            "websiteName": "WEBSTAGING",
            "orderId": "ORDER_PHONE_1",
            "txnAmount": {"value": "1499.00", "currency": "INR"},
            "userInfo": {"custId": "PATIENT_9"},
            "callbackUrl": callback_url,
        }
        query = urlencode({"mid": MID, "orderId": "ORDER_PHONE_1"})
        initiated = requests.post(
            f"{live_server.url}/sandbox/paytm/theia/api/v1/initiateTransaction?{query}",
            data=testing.signed_pg_request(body),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert testing.response_signature_is_valid(initiated.text)
        assert initiated.json()["body"]["resultInfo"]["resultStatus"] == "S"

        context = browser_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(f"{live_server.url}/sandbox/paytm/theia/api/v1/showPaymentPage?{query}")
            assert page.locator(".amount").inner_text() == "₹1,499.00"
            page.get_by_label("UPI").check()
            page.get_by_role("button", name="Pay ₹1,499.00").click()
            page.wait_for_url(callback_url)
            received = json.loads(page.locator("#received").inner_text())
        finally:
            context.close()

        assert (received["ORDERID"], received["STATUS"], received["RESPCODE"]) == (
            "ORDER_PHONE_1",
            "TXN_SUCCESS",
            "01",
        )
        assert (received["PAYMENTMODE"], received["TXNAMOUNT"], received["MID"]) == ("UPI", "1499.00", MID)
        assert PaytmChecksum.verifySignature(dict(received), MERCHANT_KEY, received["CHECKSUMHASH"]) is True

        status = requests.post(
            f"{live_server.url}/sandbox/paytm/v3/order/status",
            data=testing.signed_pg_request({"mid": MID, "orderId": "ORDER_PHONE_1"}),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert testing.response_signature_is_valid(status.text)
        assert status.json()["body"]["resultInfo"]["resultStatus"] == "TXN_SUCCESS"
        assert status.json()["body"]["txnId"] == received["TXNID"]
    webhook = SandboxWebhookDelivery.objects.get()
    assert (webhook.status, webhook.attempts, webhook.last_status_code) == ("delivered", 1, 200)
