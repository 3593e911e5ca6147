"""Shared helpers for the Razorpay adapter tests (no tests here).

The adapter talks to a non-sandbox host (`https://api.razorpay.test`) through `responses`,
which intercepts requests' HTTPAdapter, so each test checks the exact HTTP exchange the
adapter would have with Razorpay.
"""

import json
from decimal import Decimal
from pathlib import Path

from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    PayoutMode,
    PayoutRequest,
    UpiAddress,
)
from skinspire.gateways.providers.razorpay import RazorpayProvider
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

BASE = "https://api.razorpay.test"
KEY_ID = "rzp_test_AdapterTest001"
KEY_SECRET = "adapter_test_key_secret_9f8e7d"
WEBHOOK_SECRET = "adapter_test_whsec_1a2b3c"
OUR_ACCOUNT = "7878780080316316"  # our RazorpayX business account
SUPPLIER_ACCOUNT = "918008484891"
SUPPLIER_VPA = "medisupply.pharma@okhdfc"
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "razorpay"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def configuration(*, hospital, **overrides):
    fields = {
        "hospital": hospital,
        "razorpay": True,
        "base_url": BASE,
        "key_id": KEY_ID,
        "razorpay_key_secret": KEY_SECRET,
        "razorpay_webhook_secret": WEBHOOK_SECRET,
        "account_number": OUR_ACCOUNT,
    }
    return GatewayConfigurationFactory(**{**fields, **overrides})


def make_provider(*, hospital, **overrides) -> RazorpayProvider:
    provider = provider_for(configuration(hospital=hospital, **overrides))
    assert isinstance(provider, RazorpayProvider)
    return provider


def payout_entity(**overrides) -> dict:
    entity = {
        "id": "pout_00000000000001",
        "entity": "payout",
        "fund_account_id": "fa_00000000000001",
        "amount": 1250050,
        "currency": "INR",
        "notes": {},
        "fees": 590,
        "tax": 90,
        "status": "processing",
        "purpose": "vendor bill",
        "utr": None,
        "mode": "IMPS",
        "reference_id": "PAY-000042",
        "narration": "Skinspire INV 42",
        "status_details": {"reason": None, "description": None, "source": None},
        "created_at": 1755693656,
    }
    return {**entity, **overrides}


def bank_payout(**overrides) -> PayoutRequest:
    fields = {
        "amount": Decimal("12500.50"),
        "mode": PayoutMode.IMPS,
        "idempotency_key": "0b8f6c1e-7a52-4f0e-9d3a-5c2b1e4f6a70",
        "reference_id": "PAY-000042",
        "destination": BankAccount(
            holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number=SUPPLIER_ACCOUNT
        ),
        "beneficiary": ContactRequest(
            name="Medi Supply Co", reference_id="SUP-7", email="accounts@medisupply.test", phone="9876543210"
        ),
        "narration": "Skinspire: INV#42/2026",
        "notes": {"invoice": "INV-42"},
    }
    return PayoutRequest(**{**fields, **overrides})


def upi_payout(**overrides) -> PayoutRequest:
    fields = {
        "mode": PayoutMode.UPI,
        "destination": UpiAddress(holder_name="Medi Supply Co", vpa=SUPPLIER_VPA),
        "idempotency_key": "5d1c2b3a-0000-4000-8000-00000000upi1",
        "reference_id": "PAY-000043",
    }
    return bank_payout(**{**fields, **overrides})
