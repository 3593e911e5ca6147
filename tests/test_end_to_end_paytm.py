"""Paytm payouts end to end: the manager picks the demo hospital's Paytm gateway, the
adapter drives bank and UPI disbursals through the sandbox to success, failure and
reversal, and the sandbox's signed payout callbacks (JSON, checksum in `x-checksum`)
arrive at the configured URL, where they verify and parse. Payment links:
test_end_to_end_paytm_links.

The sandbox's disbursal steps chain by themselves (ACCEPTED → PENDING → SUCCESS, each
step scheduled with `transaction.on_commit`, Celery eager in tests): nothing is advanced
by hand here.
"""

import re
from decimal import Decimal

import pytest

from skinspire.gateways.manager import select_configurations
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
from skinspire.sandbox.models import SandboxMerchant
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

SUPPLIER = ContactRequest(name="Medi Supply Co", reference_id="SUP-7")
BANK = BankAccount(holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number="50100012345678")
UPI = UpiAddress(holder_name="Medi Supply Co", vpa="medisupply.pharma@okhdfc")
AMOUNT = Decimal("12500.50")
FEE, TAX = Decimal("5.90"), Decimal("0.90")  # commission 5.00 + 18% GST 0.90 (sandbox payouts.py)


@pytest.fixture
def merchant(demo_merchants):
    return demo_merchants["paytm"]


def payout_request(reference_id: str, destination=BANK, mode=PayoutMode.IMPS) -> PayoutRequest:
    return PayoutRequest(
        amount=AMOUNT,
        mode=mode,
        idempotency_key=f"idem-{reference_id}",
        reference_id=reference_id,
        destination=destination,
        beneficiary=SUPPLIER,
        narration="Skinspire INV 42",
    )


def pay_out(hospital, request, capture):
    """Create through the manager; after commit the sandbox's steps and callbacks run."""
    configuration = select_configurations(hospital=hospital, capability="payouts", provider=Provider.PAYTM)[0]
    provider = provider_for(configuration)
    with capture(execute=True):
        created = provider.create_payout(request)
    assert (created.status, created.gateway_status, created.amount) == (
        PayoutStatus.PENDING,
        "ACCEPTED",
        AMOUNT,
    )
    assert (created.fee, created.tax, created.utr) == (FEE, TAX, "")
    return created, provider


def payout_events(provider, created):
    events = e2e.verified_events(provider, e2e.received_from("paytm"))
    # object_id is Paytm's id of the disbursal (as gateway_payout_id), reference_id our orderId.
    assert {(event.object_type, event.object_id, event.reference_id, event.amount) for event in events} == {
        ("payout", created.gateway_payout_id, created.reference_id, AMOUNT)
    }
    assert created.gateway_payout_id != created.reference_id
    assert {(event.fee, event.tax) for event in events} == {(FEE, TAX)}
    assert {event.raw["result"]["paytmOrderId"] for event in events} == {created.gateway_payout_id}
    return events


@pytest.mark.parametrize(
    ("destination", "mode"), [(BANK, PayoutMode.IMPS), (UPI, PayoutMode.UPI)], ids=["imps", "upi"]
)
def test_payout_succeeds_with_an_rrn_and_signed_callbacks(
    hospital, merchant, receiver, django_capture_on_commit_callbacks, destination, mode
):
    created, provider = pay_out(
        hospital, payout_request("SKNE2E0001", destination, mode), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(reference_id="SKNE2E0001")
    assert (fetched.status, fetched.gateway_status, fetched.gateway_payout_id) == (
        PayoutStatus.PROCESSED,
        "SUCCESS",
        created.gateway_payout_id,
    )
    assert (fetched.amount, fetched.fee, fetched.tax) == (AMOUNT, FEE, TAX)
    assert (fetched.failure_code, fetched.failure_reason) == ("", "")
    assert re.fullmatch(r"\d{12}", fetched.utr)

    events = payout_events(provider, created)
    assert [(event.event_type, event.utr) for event in events] == [
        ("payout.PENDING", ""),
        ("payout.SUCCESS", fetched.utr),
    ]
    assert [event.event_id for event in events] == [
        "payout:SKNE2E0001:PENDING:DE_101",
        "payout:SKNE2E0001:SUCCESS:DE_001",
    ]
    hooks = e2e.received_from("paytm")
    assert {hook.headers["X-Mid"] for hook in hooks} == {merchant.key_id}
    assert provider.verify_webhook(body=e2e.tampered(hooks[1].body), headers=hooks[1].headers) is False
    merchant.refresh_from_db()
    assert merchant.balance_paise == 10_000_000_00 - 12500_50 - 5_90


def test_rejected_beneficiary_fails_the_payout_and_returns_the_money(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    rejected = BankAccount(holder_name="Closed Co", ifsc="HDFC0000123", account_number="123456780000")
    created, provider = pay_out(
        hospital, payout_request("SKNE2E0002", rejected), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(reference_id="SKNE2E0002")
    assert (fetched.status, fetched.gateway_status, fetched.utr) == (PayoutStatus.FAILED, "FAILURE", "")
    assert (fetched.failure_code, fetched.failure_reason) == (
        "DE_111",
        "Beneficiary bank rejected the transfer",
    )
    events = payout_events(provider, created)
    assert [
        (event.event_type, event.event_id, event.failure_code, event.failure_reason) for event in events
    ] == [
        ("payout.PENDING", "payout:SKNE2E0002:PENDING:DE_101", "", ""),
        (
            "payout.FAILURE",
            "payout:SKNE2E0002:FAILURE:DE_111",
            "DE_111",
            "Beneficiary bank rejected the transfer",
        ),
    ]
    assert SandboxMerchant.objects.get(pk=merchant.pk).balance_paise == 10_000_000_00


def test_closed_account_succeeds_then_is_reversed(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    closed = BankAccount(holder_name="Gone Co", ifsc="HDFC0000123", account_number="123456789999")
    created, provider = pay_out(
        hospital, payout_request("SKNE2E0003", closed), django_capture_on_commit_callbacks
    )

    fetched = provider.fetch_payout(reference_id="SKNE2E0003")
    assert (fetched.status, fetched.gateway_status, fetched.failure_code, fetched.failure_reason) == (
        PayoutStatus.REVERSED,
        "FAILURE",
        "FRESH_REVERSAL",
        "Fresh reversal",
    )
    assert re.fullmatch(r"\d{12}", fetched.utr)
    events = payout_events(provider, created)
    assert [(event.event_type, event.utr, event.failure_code, event.failure_reason) for event in events] == [
        ("payout.PENDING", "", "", ""),
        ("payout.SUCCESS", fetched.utr, "", ""),
        ("payout.FAILURE", fetched.utr, "FRESH_REVERSAL", "Fresh reversal"),
    ]
    assert events[2].event_id == "payout:SKNE2E0003:FAILURE:DE_685"
    assert SandboxMerchant.objects.get(pk=merchant.pk).balance_paise == 10_000_000_00


def test_duplicate_delivery_parses_to_the_same_event_id(
    hospital, merchant, receiver, django_capture_on_commit_callbacks
):
    merchant.webhook_chaos = {"duplicate": True}
    merchant.save(update_fields=["webhook_chaos"])
    created, provider = pay_out(hospital, payout_request("SKNE2E0004"), django_capture_on_commit_callbacks)

    hooks = e2e.received_from("paytm")
    events = payout_events(provider, created)
    assert [event.event_id for event in events] == [
        "payout:SKNE2E0004:PENDING:DE_101",
        "payout:SKNE2E0004:PENDING:DE_101",
        "payout:SKNE2E0004:SUCCESS:DE_001",
        "payout:SKNE2E0004:SUCCESS:DE_001",
    ]
    assert (hooks[0].body, hooks[2].body) == (hooks[1].body, hooks[3].body)
