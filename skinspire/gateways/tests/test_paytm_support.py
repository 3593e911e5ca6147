"""Shared helpers for the Paytm adapter tests (no tests here).

Tests talk to a non-sandbox host through `responses`, so what is checked is the exact
HTTP exchange the adapter would have with Paytm.
"""

import json
from decimal import Decimal
from pathlib import Path

from paytmchecksum import PaytmChecksum

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.http import new_session
from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    PayoutMode,
    PayoutRequest,
    UpiAddress,
)
from skinspire.gateways.providers.paytm import PaytmProvider
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

BASE = "https://securestage.paytmpayments.com"
PAYOUT_BASE = "https://staging-dashboard.paytm.com"
MID = "SKNTST00000000000042"
KEY = "TestKey16chars!!"
SUBWALLET = "5b0e7a1c-9d3f-4c2e-8a61-000000000042"
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "paytm"
ACCOUNT = "918008484891"
VPA = "supplier.pharma@okhdfc"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def make_provider(*, hospital, capabilities=None, **overrides) -> PaytmProvider:
    fields = {
        "hospital": hospital,
        "paytm": True,
        "base_url": BASE,
        "payout_base_url": PAYOUT_BASE,
        "key_id": MID,
        "paytm_merchant_key": KEY,
        "paytm_subwallet_guid": SUBWALLET,
    }
    if capabilities is not None:
        fields["capabilities"] = capabilities
    configuration = GatewayConfigurationFactory.create(**{**fields, **overrides})
    return PaytmProvider(
        configuration=configuration, credentials=credentials_for(configuration), session=new_session()
    )


def signed_envelope(body: dict, *, key: str = KEY, indent: int | None = 2) -> str:
    """A Paytm-style response: `body` pretty-printed (not compact) and signed as that text,
    so only a raw-substring verification can succeed."""
    body_text = json.dumps(body, indent=indent)
    signature = PaytmChecksum.generateSignature(body_text, key)
    return f'{{"head": {{"responseTimestamp": "1700000000000", "signature": "{signature}"}}, "body": {body_text}}}'


def sent_envelope(call) -> tuple[dict, str, str]:
    """(head, raw body text, whole request text) of a request the adapter sent."""
    text = call.request.body.decode() if isinstance(call.request.body, bytes) else call.request.body
    document = json.loads(text)
    start = text.index('"body":') + len('"body":')
    return document["head"], text[start:-1], text


def verifies(text: str, signature: str, key: str = KEY) -> bool:
    return PaytmChecksum.verifySignature(text, key, signature)


def bank_payout(**overrides) -> PayoutRequest:
    fields = {
        "amount": Decimal("1500.00"),
        "mode": PayoutMode.IMPS,
        "idempotency_key": "idem-0001",
        "reference_id": "SKNPAY0001",
        "destination": BankAccount(holder_name="Apollo Pharma", ifsc="PYTM0123456", account_number=ACCOUNT),
        "beneficiary": ContactRequest(name="Apollo Pharma", reference_id="supplier-7"),
        "narration": "Invoice INV-77",
        "callback_url": "https://skinspire.example/api/gateway/webhook/paytm",
    }
    return PayoutRequest(**{**fields, **overrides})


def upi_payout(**overrides) -> PayoutRequest:
    return bank_payout(
        mode=PayoutMode.UPI,
        destination=UpiAddress(holder_name="Apollo Pharma", vpa=VPA),
        **overrides,
    )
