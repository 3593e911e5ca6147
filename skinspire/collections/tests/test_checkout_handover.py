"""The hand-over page sends the browser only to the payment's configured gateway host: a
checkout URL anywhere else (an adapter bug, a configuration changed meanwhile) is refused
before any page is rendered, and the CSP is widened for that one origin only."""

from decimal import Decimal

import pytest
from django.test import RequestFactory

from skinspire.collections.handover import CheckoutHandoverError, checkout_handover
from skinspire.collections.services.checkout import CheckoutOrder
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.gateways.providers.interface import OrderResult, OrderStatus
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox/razorpay"


def created(payment, url: str, fields=None) -> CheckoutOrder:
    order = OrderResult(gateway_order_id="order_Handover00001", amount=Decimal("100.00"), status=OrderStatus.CREATED,
                        gateway_status="created", checkout={"checkout_url": url, "checkout_fields": fields or {"key_id": "k"}})  # fmt: skip
    return CheckoutOrder(payment=payment, order=order)


@pytest.fixture
def payment(bill, hospital):
    return PatientPaymentFactory(bill=bill, configuration=GatewayConfigurationFactory(hospital=hospital))


def test_the_configured_host_gets_the_form_and_only_it(payment):
    response = checkout_handover(
        RequestFactory().post("/"), created=created(payment, f"{SANDBOX}/v1/checkout/embedded")
    )

    assert response.status_code == 200
    assert response._csp_update == {"form-action": ["http://sandbox.testserver"]}


@pytest.mark.parametrize(
    "url",
    [
        "https://api.razorpay.com/v1/checkout/embedded",  # official, but not this configuration's host
        "http://sandbox.testserver/elsewhere/v1/checkout/embedded",  # same host, outside the base path
        "http://sandbox.testserver.evil.example/sandbox/razorpay/v1/checkout/embedded",
        "javascript:alert(1)",
        "",
    ],
)
def test_any_other_target_is_refused(payment, url):
    with pytest.raises(CheckoutHandoverError, match="Nothing was charged"):
        checkout_handover(RequestFactory().post("/"), created=created(payment, url))


def test_a_checkout_without_fields_is_refused(payment):
    order = created(payment, f"{SANDBOX}/v1/checkout/embedded")
    order.order.checkout.pop("checkout_fields")
    with pytest.raises(CheckoutHandoverError):
        checkout_handover(RequestFactory().post("/"), created=order)
