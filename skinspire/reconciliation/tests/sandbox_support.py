"""Payments made on the in-process sandbox, and its settle-now control, for reconciliation tests.

The sandbox is the gateway here (no fake): orders are paid on its hosted pages and settled
through `POST /sandbox/control/settle-now`, authenticated as each gateway's API is.
"""

import base64
import json
from datetime import date
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from paytmchecksum import PaytmChecksum

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.providers.interface import Customer, OrderRequest
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_adapter_sandbox import pay_on_hosted_checkout
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.paytm import selectors as paytm_selectors
from skinspire.sandbox.paytm.services.orders import paytm_order_pay
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

HOST = "sandbox.testserver"
SANDBOX = f"http://{HOST}/sandbox"


def razorpay_configuration(hospital, *, key_secret: str = ""):
    """`key_secret` other than the merchant's makes a configuration the sandbox refuses."""
    merchant = SandboxMerchantFactory(webhook_url="")
    return GatewayConfigurationFactory(
        hospital=hospital,
        base_url=f"{SANDBOX}/razorpay",
        key_id=merchant.key_id,
        razorpay_key_secret=key_secret or merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )


def paytm_configuration(hospital):
    configuration = GatewayConfigurationFactory(
        hospital=hospital, paytm=True, base_url=f"{SANDBOX}/paytm", payout_base_url=f"{SANDBOX}/paytm"
    )
    credentials = credentials_for(configuration)
    SandboxMerchantFactory(
        paytm=True,
        key_id=credentials.key_id,
        key_secret=credentials.value("merchant_key"),
        account_number=credentials.value("subwallet_guid"),
    )
    return configuration


def razorpay_pay(configuration, *, amount: Decimal, receipt: str) -> str:
    """A captured payment for a new order; returns the gateway's payment id (pay_...)."""
    order = provider_for(configuration).create_order(
        OrderRequest(amount=amount, receipt=receipt, customer=Customer("Asha Rao"))
    )
    # The gateway tests' browser, so a change in the hosted checkout is followed in one place.
    return pay_on_hosted_checkout(order.checkout)["razorpay_payment_id"]


def paytm_pay(configuration, *, amount: Decimal, order_id: str) -> str:
    """A successful payment of a new order; returns Paytm's txnId."""
    provider = provider_for(configuration)
    provider.create_order(
        OrderRequest(amount=amount, receipt=order_id, customer=Customer("Asha Rao", customer_id="P1"))
    )
    merchant = SandboxMerchant.objects.get(key_id=credentials_for(configuration).key_id)
    order = paytm_selectors.object_by_key(merchant=merchant, entity=paytm_selectors.ORDER, key=order_id)
    assert order is not None, f"the sandbox has no order {order_id}"
    paytm_order_pay(order_id=order.pk, method="upi", succeed=True, notify=False)
    return provider.fetch_payment(gateway_order_id=order_id).gateway_payment_id


def settle_now(configuration) -> dict:
    """The sandbox's settle-now control over HTTP, as a script or the demo would call it."""
    credentials = credentials_for(configuration)
    client = Client(HTTP_HOST=HOST)
    if credentials.provider == "razorpay":
        token = base64.b64encode(f"{credentials.key_id}:{credentials.value('key_secret')}".encode()).decode()
        response = client.post("/sandbox/control/settle-now", HTTP_AUTHORIZATION=f"Basic {token}")
    else:
        body = json.dumps({"mid": credentials.key_id})
        checksum = PaytmChecksum.generateSignature(body, credentials.value("merchant_key"))
        response = client.post(
            "/sandbox/control/settle-now",
            body,
            content_type="application/json",
            HTTP_X_MID=credentials.key_id,
            HTTP_X_CHECKSUM=checksum,
        )
    assert response.status_code == 200, response.content
    return response.json()


def today() -> date:
    return timezone.localdate()
