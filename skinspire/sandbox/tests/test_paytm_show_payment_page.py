"""Paytm's documented checkout: the merchant's site form-POSTs mid, orderId and txnToken to
showPaymentPage (https://paytmpayments.com/docs/show-payment-page); a bad token is refused."""

import json

import pytest
from django.test import Client

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import MID, pg_post

ORDER = "ORDER_SPP_1"
PAGE = f"/sandbox/paytm/theia/api/v1/showPaymentPage?mid={MID}&orderId={ORDER}"


@pytest.fixture
def token(client, db):
    testing.paytm_merchant_create()
    body = {
        "requestType": "Payment",
        "mid": MID,
        "orderId": ORDER,
        "txnAmount": {"value": "750.00", "currency": "INR"},
        "userInfo": {"custId": "PATIENT_7"},
        "callbackUrl": "https://hospital.example/paytm/callback",
    }
    answer = pg_post(client, f"/theia/api/v1/initiateTransaction?mid={MID}&orderId={ORDER}", body)
    return json.loads(answer.content)["body"]["txnToken"]


@pytest.fixture
def browser():
    # As a patient's browser arriving from the merchant's site: it has no CSRF cookie or token.
    return Client(enforce_csrf_checks=True)


def test_the_merchants_form_post_shows_the_page_and_the_patient_pays_from_it(browser, token):
    page = browser.post(PAGE, {"mid": MID, "orderId": ORDER, "txnToken": token})

    assert page.status_code == 200
    html = page.content.decode()
    assert "₹750.00" in html
    _, hidden = testing.callback_form(html)  # the page's hidden inputs
    assert hidden == {"mid": MID, "orderId": ORDER, "txnToken": token}

    paid = browser.post(PAGE, {**hidden, "method": "card", "outcome": "success"})

    action, fields = testing.callback_form(paid.content.decode())
    assert (action, fields["ORDERID"], fields["STATUS"]) == (
        "https://hospital.example/paytm/callback",
        ORDER,
        "TXN_SUCCESS",
    )
    assert SandboxObject.objects.get(entity="paytm_order").status == "TXN_SUCCESS"


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"mid": MID, "orderId": ORDER, "txnToken": "0" * 32}, 403, "Invalid txnToken for this order."),
        ({"mid": MID, "orderId": ORDER}, 400, "mid, orderId and txnToken are required."),
        ({"mid": MID, "orderId": "ORDER_OTHER", "txnToken": "t"}, 400, "The orderId in the form does not match the one in the URL."),
        ({"mid": "NOSUCHMID00000000001", "txnToken": "t"}, 400, "The mid in the form does not match the one in the URL."),
    ],
)  # fmt: skip
def test_a_bad_form_post_gets_an_error_page_and_pays_nothing(browser, token, form, status, message):
    response = browser.post(PAGE, {**form, "method": "upi", "outcome": "success"})

    assert response.status_code == status
    assert message in response.content.decode()
    assert SandboxObject.objects.get(entity="paytm_order").status == "CREATED"
    assert not SandboxObject.objects.filter(entity="paytm_txn").exists()
    assert not SandboxWebhookDelivery.objects.exists()


def test_an_unknown_order_posted_without_a_query_is_a_404(browser, token):
    path = "/sandbox/paytm/theia/api/v1/showPaymentPage"

    response = browser.post(path, {"mid": MID, "orderId": "ORDER_NOPE", "txnToken": token})

    assert response.status_code == 404 and "No such order for this MID." in response.content.decode()
    assert browser.post(path, {"mid": MID, "orderId": ORDER, "txnToken": token}).status_code == 200


def test_get_still_opens_the_page(browser, token):
    assert browser.get(PAGE).status_code == 200
    assert browser.get(f"/sandbox/paytm/theia/api/v1/showPaymentPage?txnToken={token}").status_code == 200
