"""Razorpay payouts end to end: the manager picks the demo hospital's default gateway, the
adapter (the official SDK inside) drives bank and UPI payouts through the sandbox to
completion, failure and reversal, and the sandbox's signed webhooks arrive at the
configured URL, where they verify and parse. Payment links: test_end_to_end_razorpay_links.

The sandbox's payout steps chain by themselves (each step schedules the next with
`transaction.on_commit`, Celery is eager in tests), so nothing is advanced by hand here.
"""

import re
from decimal import Decimal

import pytest

from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Provider
from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    PayoutMode,
    PayoutRequest,
    PayoutStatus,
    UpiAddress,
)
from skinspire.gateways.providers.registry import provider_for
from skinspire.sandbox.models import SandboxMerchant, SandboxWebhookDelivery
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

SUPPLIER = ContactRequest(name="Medi Supply Co", reference_id="SUP-7", email="accounts@medisupply.test")
BANK = BankAccount(holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number="918008484891")
UPI = UpiAddress(holder_name="Medi Supply Co", vpa="medisupply.pharma@okhdfc")
AMOUNT = Decimal("12500.50")
# What staff read (status_details.description); the codes are status_details.reason.
REJECTED = "Payout failed as the beneficiary bank rejected the transaction."
CLOSED = "Payout reversed as the beneficiary bank account is closed."
FEE, TAX = Decimal("5.90"), Decimal("0.90")  # ₹5 per payout + 18% GST (sandbox fees.py)


@pytest.fixture
def merchant(demo_merchants):
    return demo_merchants["razorpay"]


def payout_request(reference_id: str, destination=BANK, mode=PayoutMode.IMPS) -> PayoutRequest:
    return PayoutRequest(
        amount=AMOUNT,
        mode=mode,
        idempotency_key=f"idem-{reference_id}",
        reference_id=reference_id,
        destination=destination,
        beneficiary=SUPPLIER,
        narration="Skinspire INV 42",
        notes={"invoice": "INV-42"},
    )


def pay_out(hospital, request, capture):
    """Create through the manager; after commit the sandbox's steps and webhooks run."""
    with capture(execute=True):
        created, configuration = run_with_fallback(
            hospital=hospital,
            capability="payouts",
            operation=lambda provider, _configuration: provider.create_payout(request),
        )
    assert configuration.provider == Provider.RAZORPAY  # the demo hospital's default
    assert (created.status, created.gateway_status, created.amount) == (
        PayoutStatus.PROCESSING,
        "processing",
        AMOUNT,
    )
    return created, provider_for(configuration)


def payout_events(provider, created):
    events = e2e.verified_events(provider, e2e.received_from("razorpay"))
    assert {(event.object_type, event.object_id, event.amount) for event in events} == {
        ("payout", created.gateway_payout_id, AMOUNT)
    }
    assert {(event.reference_id, event.fee, event.tax) for event in events} == {
        (created.reference_id, FEE, TAX)
    }
    return events


@pytest.mark.parametrize(
    ("destination", "mode"), [(BANK, PayoutMode.IMPS), (UPI, PayoutMode.UPI)], ids=["imps", "upi"]
)
def test_payout_is_processed_with_a_utr_and_signed_webhooks(
    hospital, merchant, receiver, django_capture_on_commit_callbacks, destination, mode
):
    created, provider = pay_out(
        hospital, payout_request("PAY-E2E-1", destination, mode), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(gateway_payout_id=created.gateway_payout_id)
    assert (fetched.status, fetched.gateway_status, fetched.reference_id) == (
        PayoutStatus.PROCESSED,
        "processed",
        "PAY-E2E-1",
    )
    assert (fetched.amount, fetched.fee, fetched.tax) == (AMOUNT, FEE, TAX)
    assert (fetched.failure_code, fetched.failure_reason) == ("", "")
    assert re.fullmatch(r"\d{12}", fetched.utr)
    assert fetched.raw["mode"] == mode.value.upper()

    events = payout_events(provider, created)
    assert [(event.event_type, event.status, event.utr) for event in events] == [
        ("payout.initiated", "processing", ""),
        ("payout.processed", "processed", fetched.utr),
    ]
    hooks = e2e.received_from("razorpay")
    assert [event.event_id for event in events] == [hook.headers["X-Razorpay-Event-Id"] for hook in hooks]
    assert len(set(event.event_id for event in events)) == 2
    assert {hook.headers["User-Agent"] for hook in hooks} == {"Razorpay-Webhook/v1"}
    tampered = e2e.tampered(hooks[1].body)
    assert provider.verify_webhook(body=tampered, headers=hooks[1].headers) is False
    assert set(SandboxWebhookDelivery.objects.values_list("status", "url")) == {
        ("delivered", f"{e2e.HOOKS}/razorpay/")
    }
    merchant.refresh_from_db()
    assert merchant.balance_paise == 10_000_000_00 - 12500_50 - 5_90


def test_rejected_beneficiary_fails_the_payout_and_refunds_the_balance(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    rejected = BankAccount(holder_name="Closed Co", ifsc="HDFC0000123", account_number="123456780000")
    created, provider = pay_out(
        hospital, payout_request("PAY-E2E-2", rejected), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(reference_id="PAY-E2E-2")
    assert (fetched.gateway_payout_id, fetched.status, fetched.utr) == (
        created.gateway_payout_id,
        PayoutStatus.FAILED,
        "",
    )
    assert (fetched.failure_code, fetched.failure_reason) == ("beneficiary_bank_rejected", REJECTED)
    events = payout_events(provider, created)
    assert [
        (event.event_type, event.status, event.failure_code, event.failure_reason) for event in events
    ] == [
        ("payout.initiated", "processing", "", ""),
        ("payout.failed", "failed", "beneficiary_bank_rejected", REJECTED),
    ]
    assert events[1].raw["payload"]["payout"]["entity"]["status_details"]["description"] == REJECTED
    assert SandboxMerchant.objects.get(pk=merchant.pk).balance_paise == 10_000_000_00


def test_closed_account_is_processed_then_reversed(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    closed = BankAccount(holder_name="Gone Co", ifsc="HDFC0000123", account_number="123456789999")
    created, provider = pay_out(
        hospital, payout_request("PAY-E2E-3", closed), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(gateway_payout_id=created.gateway_payout_id)
    assert (fetched.status, fetched.failure_code, fetched.failure_reason) == (
        PayoutStatus.REVERSED,
        "bank_account_closed",
        CLOSED,
    )
    assert re.fullmatch(r"\d{12}", fetched.utr)  # it was processed first, so it has its UTR
    events = payout_events(provider, created)
    assert [(event.event_type, event.status, event.utr) for event in events] == [
        ("payout.initiated", "processing", ""),
        ("payout.processed", "processed", fetched.utr),
        ("payout.reversed", "reversed", fetched.utr),
    ]
    assert (events[2].failure_code, events[2].failure_reason) == ("bank_account_closed", CLOSED)
    assert SandboxMerchant.objects.get(pk=merchant.pk).balance_paise == 10_000_000_00


def test_duplicate_delivery_repeats_the_same_event_id(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    merchant.webhook_chaos = {"duplicate": True}
    merchant.save(update_fields=["webhook_chaos"])
    created, provider = pay_out(hospital, payout_request("PAY-E2E-4"), django_capture_on_commit_callbacks)

    hooks = e2e.received_from("razorpay")
    events = payout_events(provider, created)
    assert [event.event_type for event in events] == ["payout.initiated"] * 2 + ["payout.processed"] * 2
    header_ids = [hook.headers["X-Razorpay-Event-Id"] for hook in hooks]
    assert header_ids == [event.event_id for event in events]
    assert header_ids[0] == header_ids[1] != header_ids[2] == header_ids[3]
    assert (hooks[0].body, hooks[2].body) == (hooks[1].body, hooks[3].body)  # the very same bytes
