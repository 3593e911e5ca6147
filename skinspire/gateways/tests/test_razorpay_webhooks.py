"""Razorpay webhooks: signature over the raw bytes, and every documented shape normalised (§4.3, §5)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from skinspire.gateways.errors import MalformedWebhookError
from skinspire.gateways.tests.test_razorpay_support import WEBHOOK_SECRET, fixture_bytes, make_provider

pytestmark = pytest.mark.django_db

# The documented vector: secret "key_secret" over the exact 971 bytes of the SDK fixture.
VECTOR = "d60e67fd884556c045e9be7dad57903e33efc7172c17c6e3ef77db42d2b366e9"


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


def envelope(event: str, **entities) -> bytes:
    payload = {name: {"entity": entity} for name, entity in entities.items()}
    body = {"entity": "event", "account_id": "acc_BFQ7uQEaa7j2z7", "event": event, "contains": list(entities),
            "payload": payload, "created_at": 1755693679}  # fmt: skip
    return json.dumps(body).encode()


def headers_for(body: bytes, event_id: str = "evt_1") -> dict[str, str]:
    signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}


def test_signature_test_vector_over_the_raw_fixture_bytes(hospital):
    provider = make_provider(hospital=hospital, razorpay_webhook_secret="key_secret")
    body = fixture_bytes("fake_payment_authorized_webhook")
    assert len(body) == 971

    assert provider.verify_webhook(body=body, headers={"X-Razorpay-Signature": VECTOR}) is True
    assert provider.verify_webhook(body=body, headers={"x-razorpay-signature": VECTOR}) is True
    assert provider.verify_webhook(body=body + b" ", headers={"X-Razorpay-Signature": VECTOR}) is False
    assert provider.verify_webhook(body=body, headers={"X-Razorpay-Signature": "0" * 64}) is False
    assert provider.verify_webhook(body=body, headers={}) is False


def test_a_configuration_without_webhook_secret_verifies_nothing(hospital):
    provider = make_provider(hospital=hospital, razorpay_webhook_secret="")
    body = fixture_bytes("fake_payment_authorized_webhook")

    assert provider.verify_webhook(body=body, headers={"X-Razorpay-Signature": VECTOR}) is False


def test_parse_the_sdk_payment_authorized_fixture(provider):
    body = fixture_bytes("fake_payment_authorized_webhook")

    event = provider.parse_webhook(body=body, headers={"x-razorpay-event-id": "evt_Fixture01"})

    assert (event.provider, event.event_id, event.event_type, event.object_type, event.object_id) == (
        "razorpay",
        "evt_Fixture01",
        "payment.authorized",
        "payment",
        "pay_6koWN7bvxujzxM",
    )
    # A snapshot: the fixture's payment already says "captured" (reference §5).
    assert (event.status, event.amount, event.fee, event.tax) == (
        "captured",
        Decimal("10000.00"),
        Decimal("230.00"),
        Decimal("30.00"),
    )
    assert (event.gateway_order_id, event.gateway_payment_id) == (
        "order_100000000order",
        "pay_6koWN7bvxujzxM",
    )
    assert event.occurred_at == datetime.fromtimestamp(1400826760, tz=UTC)
    assert event.raw["event"] == "payment.authorized"


def test_parse_payout_processed_skeleton(provider):
    payout = {"id": "pout_1Aa00000000001", "entity": "payout", "fund_account_id": "fa_1Aa00000000001",
              "amount": 100000, "currency": "INR", "fees": 590, "tax": 90, "status": "processed",
              "utr": "933815233814", "mode": "IMPS", "reference_id": "HOSP-PO-0001", "failure_reason": None,
              "status_details": {"reason": "payout_processed", "description": "Payout is processed",
                                 "source": "beneficiary_bank"},
              "created_at": 1755693656}  # fmt: skip
    body = envelope("payout.processed", payout=payout)

    event = provider.parse_webhook(body=body, headers=headers_for(body, "evt_P1"))

    assert (event.object_type, event.object_id, event.status, event.amount) == (
        "payout",
        "pout_1Aa00000000001",
        "processed",
        Decimal("1000.00"),
    )
    assert (event.reference_id, event.utr, event.fee, event.tax) == (
        "HOSP-PO-0001",
        "933815233814",
        Decimal("5.90"),
        Decimal("0.90"),
    )
    assert (event.failure_code, event.failure_reason) == ("", "")
    assert event.occurred_at == datetime.fromtimestamp(1755693679, tz=UTC)


def test_parse_payout_reversed_carries_the_reason(provider):
    payout = {"id": "pout_2", "entity": "payout", "amount": 5000, "status": "reversed", "fees": 0, "tax": 0,
              "reference_id": "HOSP-PO-0002",
              "status_details": {"reason": "bank_account_invalid", "description": "Invalid account",
                                 "source": "beneficiary_bank"}}  # fmt: skip
    body = envelope("payout.reversed", payout=payout)

    event = provider.parse_webhook(body=body, headers=headers_for(body))

    assert (event.status, event.failure_code, event.failure_reason) == (
        "reversed",
        "bank_account_invalid",
        "Invalid account",
    )


def test_parse_payment_captured_and_failed(provider):
    captured = {"id": "pay_DESlfW9H8K9uqM", "entity": "payment", "amount": 50000, "status": "captured",
                "order_id": "order_DESlLckIVRkHWj", "method": "upi", "fee": 1180, "tax": 180,
                "error_code": None, "error_description": None, "created_at": 1567674599}  # fmt: skip
    failed = {**captured, "status": "failed", "fee": None, "tax": None,
              "error_code": "BAD_REQUEST_ERROR", "error_description": "Payment was cancelled by the customer"}  # fmt: skip
    body = envelope("payment.captured", payment=captured)
    failed_body = envelope("payment.failed", payment=failed)

    event = provider.parse_webhook(body=body, headers=headers_for(body))
    failed_event = provider.parse_webhook(body=failed_body, headers=headers_for(failed_body))

    assert (event.status, event.amount, event.fee, event.tax, event.gateway_order_id) == (
        "captured",
        Decimal("500.00"),
        Decimal("11.80"),
        Decimal("1.80"),
        "order_DESlLckIVRkHWj",
    )
    assert (
        failed_event.status,
        failed_event.fee,
        failed_event.failure_code,
        failed_event.failure_reason,
    ) == (
        "failed",
        None,
        "BAD_REQUEST_ERROR",
        "Payment was cancelled by the customer",
    )
    assert (event.failure_code, event.failure_reason) == ("", "")


def test_parse_order_paid(provider):
    order = {"id": "order_DESlLckIVRkHWj", "entity": "order", "amount": 50000, "amount_paid": 50000,
             "receipt": "BILL-1001", "status": "paid"}  # fmt: skip
    payment = {"id": "pay_DESlfW9H8K9uqM", "entity": "payment", "amount": 50000, "status": "captured",
               "order_id": "order_DESlLckIVRkHWj", "fee": 1180, "tax": 180}  # fmt: skip
    body = envelope("order.paid", payment=payment, order=order)

    event = provider.parse_webhook(body=body, headers=headers_for(body))

    assert (event.object_type, event.object_id, event.status, event.reference_id, event.amount) == (
        "order",
        "order_DESlLckIVRkHWj",
        "paid",
        "BILL-1001",
        Decimal("500.00"),
    )
    assert (event.gateway_payment_id, event.fee, event.tax) == (
        "pay_DESlfW9H8K9uqM",
        Decimal("11.80"),
        Decimal("1.80"),
    )


def test_parse_payment_link_paid_and_expired(provider):
    link = {"id": "plink_Fo48rl281ENAg9", "entity": "payment_link", "amount": 100, "amount_paid": 100,
            "reference_id": "BILL-1001-L1", "status": "paid", "order_id": "order_Fo491cL6NGAjkI"}  # fmt: skip
    order = {"id": "order_Fo491cL6NGAjkI", "entity": "order", "amount": 100, "status": "paid"}
    payment = {
        "id": "pay_Fo49sHbQ78PCMI",
        "entity": "payment",
        "amount": 100,
        "status": "captured",
        "fee": 2,
        "tax": 0,
    }
    body = envelope("payment_link.paid", payment_link=link, order=order, payment=payment)
    expired_body = envelope(
        "payment_link.expired", payment_link={**link, "status": "expired", "amount_paid": 0}
    )

    event = provider.parse_webhook(body=body, headers=headers_for(body))
    expired = provider.parse_webhook(body=expired_body, headers=headers_for(expired_body))

    assert (event.object_type, event.object_id, event.status, event.reference_id) == (
        "payment_link",
        "plink_Fo48rl281ENAg9",
        "paid",
        "BILL-1001-L1",
    )
    assert (event.gateway_order_id, event.gateway_payment_id, event.fee) == (
        "order_Fo491cL6NGAjkI",
        "pay_Fo49sHbQ78PCMI",
        Decimal("0.02"),
    )
    assert (expired.status, expired.gateway_payment_id, expired.gateway_order_id) == (
        "expired",
        "",
        "order_Fo491cL6NGAjkI",
    )


def test_parse_refund_processed(provider):
    refund = json.loads(fixture_bytes("fake_refund"))
    payment = {"id": "pay_FIKOnlyii5QGNx", "entity": "payment", "order_id": "order_9", "amount": 500000}
    body = envelope("refund.processed", refund=refund, payment=payment)

    event = provider.parse_webhook(body=body, headers=headers_for(body))

    assert (event.object_type, event.object_id, event.status, event.amount, event.reference_id) == (
        "refund",
        "rfnd_FP8DDKxqJif6ca",
        "processed",
        Decimal("3001.00"),
        "#126",
    )
    assert (event.gateway_payment_id, event.gateway_order_id, event.utr) == (
        "pay_FIKOnlyii5QGNx",
        "order_9",
        "10000000000000",
    )


def test_parse_settlement_processed(provider):
    body = envelope("settlement.processed", settlement=json.loads(fixture_bytes("fake_settlement")))

    event = provider.parse_webhook(body=body, headers=headers_for(body))

    assert (
        event.object_type,
        event.object_id,
        event.status,
        event.amount,
        event.utr,
        event.fee,
        event.tax,
    ) == (
        "settlement",
        "setl_7IZKKI4Pnt2kEe",
        "processed",
        Decimal("600.00"),
        "RZRP111111111111",
        Decimal("1.23"),
        Decimal("0.12"),
    )


def test_an_event_we_do_not_handle_is_still_parsed_for_the_inbox(provider):
    downtime = {"id": "poutdown_1", "entity": "payout.downtime", "status": "started"}
    body = envelope("payout.downtime.started", **{"payout.downtime": downtime})

    event = provider.parse_webhook(body=body, headers=headers_for(body))

    assert (event.object_type, event.object_id, event.status) == ("payout.downtime", "poutdown_1", "started")


def test_without_an_event_id_header_the_body_digest_dedupes(provider):
    body = fixture_bytes("fake_payment_authorized_webhook")

    first = provider.parse_webhook(body=body, headers={})
    again = provider.parse_webhook(body=body, headers={})

    assert first.event_id == again.event_id == f"sha256:{hashlib.sha256(body).hexdigest()[:40]}"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"event": "payment.captured"}',
        b'{"payload": {}}',
        b'{"event": "payment.captured", "payload": ' + b"[" * 1000 + b"]" * 1000 + b"}",  # RecursionError
    ],
)
def test_malformed_bodies_are_rejected(provider, body):
    with pytest.raises(MalformedWebhookError):
        provider.parse_webhook(body=body, headers={})
