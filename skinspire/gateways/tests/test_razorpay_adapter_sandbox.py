"""The adapter end to end against the sandbox Razorpay, served in-process (no network).

Same adapter, same SDK, same session as production; only the configuration's base URL
differs. The patient's checkout is driven through Django's test client like a browser.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client

from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    Customer,
    OrderRequest,
    PaymentStatus,
    PayoutStatus,
    RefundRequest,
)
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import bank_payout
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox/razorpay"
CALLBACK = "https://hospital.example/pay/return"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="", account_number="2323230041626905")


@pytest.fixture
def provider(hospital, merchant):
    configuration = GatewayConfigurationFactory(
        hospital=hospital,
        base_url=SANDBOX,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )
    return provider_for(configuration)


def pay_on_hosted_checkout(checkout: dict) -> dict[str, str]:
    """As a browser would: our page posts the Hosted Checkout form (from another origin, so
    with no CSRF token), then the patient pays on the gateway's page."""
    browser = Client(HTTP_HOST="sandbox.testserver", enforce_csrf_checks=True)
    page = browser.post(
        checkout["checkout_url"].removeprefix("http://sandbox.testserver"), checkout["checkout_fields"]
    )
    assert page.status_code == 200
    action = re.findall(r'<form method="post" action="([^"]+)"', page.content.decode())[0]
    response = browser.post(
        action,
        {
            "method": "upi",
            "vpa": "success@razorpay",
            "outcome": "success",
            "callback_url": CALLBACK,
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
        },
        HTTP_X_CSRFTOKEN=page.cookies["csrftoken"].value,
    )
    assert response.status_code == 200
    return response.context["fields"]


def test_order_checkout_verify_fetch_and_refund(provider):
    order = provider.create_order(
        OrderRequest(
            amount=Decimal("500.00"),
            receipt="BILL-2001",
            customer=Customer("Asha Rao"),
            callback_url=CALLBACK,
        )
    )
    assert order.checkout["checkout_url"] == f"{SANDBOX}/v1/checkout/embedded"

    fields = pay_on_hosted_checkout(order.checkout)
    verification = CheckoutVerification(
        gateway_order_id=order.gateway_order_id,
        gateway_payment_id=fields["razorpay_payment_id"],
        signature=fields["razorpay_signature"],
    )
    assert provider.verify_checkout(verification) is True
    tampered = CheckoutVerification(
        "order_someoneelse0", fields["razorpay_payment_id"], fields["razorpay_signature"]
    )
    assert provider.verify_checkout(tampered) is False

    payment = provider.fetch_payment(gateway_order_id=order.gateway_order_id)
    assert (payment.gateway_payment_id, payment.status, payment.amount) == (
        fields["razorpay_payment_id"],
        PaymentStatus.CAPTURED,
        Decimal("500.00"),
    )
    assert (payment.fee, payment.tax) == (Decimal("11.80"), Decimal("1.80"))

    # Already auto-captured: the sandbox answers Razorpay's 400, a definite refusal.
    with pytest.raises(GatewayAPIError) as refused:
        provider.capture_payment(payment.gateway_payment_id, Decimal("500.00"))
    assert (refused.value.http_status, refused.value.provably_failed) == (400, True)

    refund = provider.create_refund(
        RefundRequest(
            payment.gateway_payment_id, order.gateway_order_id, "RFND-2001-01", amount=Decimal("200.00")
        )
    )
    assert (refund.amount, refund.refund_reference) == (Decimal("200.00"), "RFND-2001-01")
    again = provider.fetch_refund(refund_reference="RFND-2001-01", gateway_order_id=order.gateway_order_id)
    assert again.gateway_refund_id == refund.gateway_refund_id
    operations = list(GatewayTransactionLog.objects.order_by("id").values_list("operation", "outcome"))
    assert operations == [
        ("create_order", "success"),
        ("fetch_order_payments", "success"),
        ("capture_payment", "error"),
        ("create_refund", "success"),
        ("fetch_order_payments", "success"),
        ("fetch_payment_refunds", "success"),
    ]


def test_composite_payout_fetch_and_advance(provider):
    created = provider.create_payout(bank_payout())
    assert created.status == PayoutStatus.PROCESSING
    assert created.amount == Decimal("12500.50")

    replayed = provider.create_payout(bank_payout())
    assert replayed.gateway_payout_id == created.gateway_payout_id

    payout_advance(payout_id=created.gateway_payout_id)
    processed = provider.fetch_payout(reference_id="PAY-000042")
    assert (processed.gateway_payout_id, processed.status) == (
        created.gateway_payout_id,
        PayoutStatus.PROCESSED,
    )
    assert len(processed.utr) >= 12
    assert (processed.fee, processed.tax, processed.failure_reason) == (Decimal("5.90"), Decimal("0.90"), "")
