"""Razorpay collections: orders, checkout signature, payments, links and refunds (reference §3, §4)."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import responses

from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    Customer,
    LinkStatus,
    OrderRequest,
    OrderStatus,
    PaymentLinkRequest,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
)
from skinspire.gateways.tests.test_razorpay_support import BASE, KEY_ID, fixture, make_provider

pytestmark = pytest.mark.django_db

PATIENT = Customer(name="Asha Rao", email="asha@example.test", phone="+919876543210")


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


def order_entity(**overrides) -> dict:
    entity = {
        "id": "order_00000000000001",
        "entity": "order",
        "amount": 150000,
        "amount_paid": 0,
        "amount_due": 150000,
        "currency": "INR",
        "receipt": "BILL-1001",
        "status": "created",
        "attempts": 0,
        "notes": {"bill": "1001"},
        "created_at": 1755693656,
    }
    return {**entity, **overrides}


@responses.activate
def test_create_order_sends_paise_and_returns_what_checkout_needs(provider):
    responses.post(f"{BASE}/v1/orders", json=order_entity())

    result = provider.create_order(
        OrderRequest(amount=Decimal("1500.00"), receipt="BILL-1001", customer=PATIENT, notes={"bill": "1001"})
    )

    assert json.loads(responses.calls[0].request.body) == {
        "amount": 150000,
        "currency": "INR",
        "receipt": "BILL-1001",
        "notes": {"bill": "1001"},
    }
    assert (result.gateway_order_id, result.amount, result.status) == (
        "order_00000000000001",
        Decimal("1500.00"),
        OrderStatus.CREATED,
    )
    assert result.checkout == {
        "key_id": KEY_ID,
        "order_id": "order_00000000000001",
        "amount_paise": 150000,
        "currency": "INR",
        "prefill": {"name": "Asha Rao", "email": "asha@example.test", "contact": "+919876543210"},
        "checkout_url": f"{BASE}/v1/checkout/embedded",
        "checkout_fields": {
            "key_id": KEY_ID,
            "order_id": "order_00000000000001",
            "prefill[name]": "Asha Rao",
            "prefill[email]": "asha@example.test",
            "prefill[contact]": "+919876543210",
        },
    }
    assert GatewayTransactionLog.objects.get().gateway_ids == {"order": "order_00000000000001"}


@responses.activate
def test_against_the_real_host_the_hosted_checkout_is_razorpays_own(hospital):
    """The same form, posted to https://api.razorpay.com/v1/checkout/embedded (Hosted Checkout);
    Standard Checkout (checkout.js) takes key_id, order_id, amount and prefill from the same dict."""
    provider = make_provider(hospital=hospital, base_url="")
    responses.post("https://api.razorpay.com/v1/orders", json=order_entity())

    result = provider.create_order(
        OrderRequest(
            amount=Decimal("1500.00"),
            receipt="BILL-1001",
            customer=Customer(name="Asha Rao"),
            callback_url="https://payments.hospital.example/checkout/done",
            cancel_url="https://payments.hospital.example/checkout/cancelled",
            merchant_name="Skinspire Clinic",
            description="Bill 1001",
        )
    )

    assert result.checkout["checkout_url"] == "https://api.razorpay.com/v1/checkout/embedded"
    assert result.checkout["checkout_fields"] == {
        "key_id": KEY_ID,
        "order_id": "order_00000000000001",
        "name": "Skinspire Clinic",
        "description": "Bill 1001",
        "prefill[name]": "Asha Rao",
        "callback_url": "https://payments.hospital.example/checkout/done",
        "cancel_url": "https://payments.hospital.example/checkout/cancelled",
    }
    assert result.checkout["callback_url"] == "https://payments.hospital.example/checkout/done"


def test_orders_below_one_rupee_are_refused_before_sending(provider):
    with responses.RequestsMock(), pytest.raises(InvalidGatewayRequestError, match="at least ₹1.00"):
        provider.create_order(OrderRequest(amount=Decimal("0.99"), receipt="BILL-1", customer=PATIENT))
    assert GatewayTransactionLog.objects.count() == 0


def test_verify_checkout_with_the_sdk_test_vector(hospital):
    # reference §4.1: secret "key_secret", "fake_order_id|fake_payment_id".
    provider = make_provider(hospital=hospital, razorpay_key_secret="key_secret")
    signature = "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89"

    assert (
        provider.verify_checkout(CheckoutVerification("fake_order_id", "fake_payment_id", signature)) is True
    )
    assert (
        provider.verify_checkout(CheckoutVerification("other_order_id", "fake_payment_id", signature))
        is False
    )
    assert (
        provider.verify_checkout(CheckoutVerification("fake_order_id", "fake_payment_id", "0" * 64)) is False
    )
    assert provider.verify_checkout(CheckoutVerification("fake_order_id", "fake_payment_id", "")) is False


@responses.activate
def test_capture_sends_amount_in_paise_and_currency(provider):
    responses.post(f"{BASE}/v1/payments/pay_29QQoUBi66xm2f/capture", json=fixture("fake_captured_payment"))

    result = provider.capture_payment("pay_29QQoUBi66xm2f", Decimal("5.00"))

    assert json.loads(responses.calls[0].request.body) == {"currency": "INR", "amount": 500}
    assert (result.status, result.amount) == (PaymentStatus.CAPTURED, Decimal("5.00"))


@responses.activate
def test_fetch_payment_by_id(provider):
    payment = fixture("edit_payment")
    responses.get(f"{BASE}/v1/payments/{payment['id']}", json=payment)

    result = provider.fetch_payment(gateway_payment_id=payment["id"])

    assert result.gateway_payment_id == payment["id"]
    assert result.status == PaymentStatus(payment["status"])
    assert result.amount == Decimal(payment["amount"]) / 100
    assert result.method == payment["method"]


@responses.activate
def test_fetch_payment_by_order_prefers_the_captured_one(provider):
    failed = {"id": "pay_failed", "entity": "payment", "amount": 150000, "status": "failed", "order_id": "order_1",
              "error_description": "Payment was declined", "created_at": 300}  # fmt: skip
    captured = {"id": "pay_ok", "entity": "payment", "amount": 150000, "status": "captured", "order_id": "order_1",
                "fee": 3540, "tax": 540, "method": "upi", "created_at": 200}  # fmt: skip
    responses.get(
        f"{BASE}/v1/orders/order_1/payments",
        json={"entity": "collection", "count": 2, "items": [failed, captured]},
    )

    result = provider.fetch_payment(gateway_order_id="order_1")

    assert (result.gateway_payment_id, result.status, result.fee, result.tax, result.method) == (
        "pay_ok",
        PaymentStatus.CAPTURED,
        Decimal("35.40"),
        Decimal("5.40"),
        "upi",
    )


@responses.activate
def test_fetch_payment_of_an_unpaid_order_is_not_found(provider):
    responses.get(
        f"{BASE}/v1/orders/order_1/payments", json={"entity": "collection", "count": 0, "items": []}
    )

    with pytest.raises(GatewayNotFoundError):
        provider.fetch_payment(gateway_order_id="order_1")


@responses.activate
def test_create_payment_link_body(provider):
    responses.post(f"{BASE}/v1/payment_links", json=fixture("fake_payment_link"))
    expire_by = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

    result = provider.create_payment_link(
        PaymentLinkRequest(
            amount=Decimal("1.00"),
            reference_id="BILL-1001-L1",
            customer=PATIENT,
            description="OPD bill 1001",
            expire_by=expire_by,
            notify_email=True,
            notify_sms=False,
            callback_url="https://skinspire.test/pay/done",
        )
    )

    assert json.loads(responses.calls[0].request.body) == {
        "amount": 100,
        "currency": "INR",
        "description": "OPD bill 1001",
        "reference_id": "BILL-1001-L1",
        "customer": {"name": "Asha Rao", "email": "asha@example.test", "contact": "+919876543210"},
        "notify": {"email": True, "sms": False},
        "notes": {},
        "expire_by": int(expire_by.timestamp()),
        "callback_url": "https://skinspire.test/pay/done",
        "callback_method": "get",
    }
    assert (result.gateway_link_id, result.url, result.status, result.amount_paid, result.payment_ids) == (
        "plink_Fo48rl281ENAg9",
        "https://rzp.io/i/XQiMe4w",
        LinkStatus.PAID,
        Decimal("1.00"),
        ("pay_Fo49sHbQ78PCMI",),
    )
    assert result.expire_by is None  # the fixture's expire_by is 0


@responses.activate
def test_fetch_and_cancel_payment_link(provider):
    responses.get(f"{BASE}/v1/payment_links/plink_Fo48rl281ENAg9", json=fixture("fake_payment_link"))
    responses.post(
        f"{BASE}/v1/payment_links/plink_Fo4oI0cXjpQIz3/cancel", json=fixture("cancel_payment_link")
    )

    assert provider.fetch_payment_link("plink_Fo48rl281ENAg9").status == LinkStatus.PAID
    cancelled = provider.cancel_payment_link("plink_Fo4oI0cXjpQIz3")
    assert (cancelled.status, cancelled.payment_ids) == (LinkStatus.CANCELLED, ())


@responses.activate
def test_find_payment_link_by_our_reference_takes_the_exact_one(provider):
    """GET /v1/payment_links?reference_id= (razorpay.com/docs/api/payments/payment-links/
    fetch-all-standard): a lost create's link, found by what we sent as reference_id."""
    created = {
        **fixture("fake_payment_link"),
        "id": "plink_ours",
        "status": "created",
        "reference_id": "LNK-1",
    }
    other = {**created, "id": "plink_other", "reference_id": "LNK-10"}
    responses.get(f"{BASE}/v1/payment_links", json={"payment_links": [other, created]})

    found = provider.find_payment_link(reference_id="LNK-1")

    assert (found.gateway_link_id, found.status, found.url) == (
        "plink_ours",
        LinkStatus.CREATED,
        created["short_url"],
    )
    assert responses.calls[0].request.params == {"reference_id": "LNK-1"}


@responses.activate
def test_find_payment_link_without_a_match_is_not_found(provider):
    responses.get(f"{BASE}/v1/payment_links", json={"payment_links": []})

    with pytest.raises(GatewayNotFoundError, match="no payment link with the reference LNK-1"):
        provider.find_payment_link(reference_id="LNK-1")


@responses.activate
def test_partial_refund_sends_the_idempotency_header_and_receipt(provider):
    responses.post(f"{BASE}/v1/payments/pay_FIKOnlyii5QGNx/refund", json=fixture("fake_refund"))

    result = provider.create_refund(
        RefundRequest("pay_FIKOnlyii5QGNx", "order_1", "RFND-000126", amount=Decimal("3001.00"))
    )

    request = responses.calls[0].request
    assert request.headers["X-Refund-Idempotency"] == "RFND-000126"
    assert json.loads(request.body) == {
        "speed": "normal",
        "receipt": "RFND-000126",
        "notes": {},
        "amount": 300100,
    }
    assert (result.gateway_refund_id, result.status, result.amount) == (
        "rfnd_FP8DDKxqJif6ca",
        RefundStatus.PROCESSED,
        Decimal("3001.00"),
    )
    assert GatewayTransactionLog.objects.get().idempotency_key == "RFND-000126"


@responses.activate
def test_full_refund_omits_amount_and_short_references_get_a_valid_key(provider):
    responses.post(f"{BASE}/v1/payments/pay_1/refund", json=fixture("fake_refund"))

    provider.create_refund(RefundRequest("pay_1", "order_1", "R#7"))

    request = responses.calls[0].request
    assert "amount" not in json.loads(request.body)
    assert request.headers["X-Refund-Idempotency"] == "refund_R_7"


@responses.activate
def test_fetch_refund_by_id_and_by_our_reference(provider):
    refund = fixture("fake_refund")
    responses.get(f"{BASE}/v1/refunds/rfnd_FP8DDKxqJif6ca", json=refund)
    responses.get(
        f"{BASE}/v1/orders/order_1/payments",
        json={
            "entity": "collection",
            "count": 1,
            "items": [{"id": "pay_FIKOnlyii5QGNx", "status": "captured"}],
        },
    )
    other = {**refund, "id": "rfnd_other", "receipt": "#125"}
    responses.get(
        f"{BASE}/v1/payments/pay_FIKOnlyii5QGNx/refunds",
        json={"entity": "collection", "count": 2, "items": [other, refund]},
    )

    assert provider.fetch_refund(gateway_refund_id="rfnd_FP8DDKxqJif6ca").refund_reference == "#126"
    found = provider.fetch_refund(refund_reference="#126", gateway_order_id="order_1")
    assert found.gateway_refund_id == "rfnd_FP8DDKxqJif6ca"
    with pytest.raises(GatewayNotFoundError):
        provider.fetch_refund(refund_reference="#999", gateway_order_id="order_1")


@responses.activate
def test_find_order_by_receipt_takes_the_exact_receipt_newest_first(provider):
    """GET /v1/orders?receipt= (razorpay.com/docs/api/orders/fetch-all) "contains" the value."""
    responses.get(f"{BASE}/v1/orders", json={"entity": "collection", "count": 3, "items": [
        order_entity(id="order_00000000000007", receipt="BILL-10010", created_at=1755693999),
        order_entity(id="order_00000000000005", receipt="BILL-1001", created_at=1755693700),
        order_entity(id="order_00000000000004", receipt="BILL-1001", created_at=1755693600),
    ]})  # fmt: skip

    found = provider.find_order(receipt="BILL-1001")

    assert (found.gateway_order_id, found.amount, found.checkout) == (
        "order_00000000000005",
        Decimal("1500.00"),
        {},
    )
    assert responses.calls[0].request.params == {"receipt": "BILL-1001", "count": "100"}


@responses.activate
def test_find_order_without_a_match_is_not_found(provider):
    responses.get(f"{BASE}/v1/orders", json={"entity": "collection", "count": 0, "items": []})

    with pytest.raises(GatewayNotFoundError, match="no order with the receipt BILL-1001"):
        provider.find_order(receipt="BILL-1001")
