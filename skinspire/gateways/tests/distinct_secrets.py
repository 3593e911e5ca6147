"""Configurations whose every credential is distinctive, to search pages, logs and dumps
for (no tests here).

The values share no 5-character run with each other or with ordinary page text, so
`leaks(text)` can look for any run longer than the 4-character mask hint.
"""

import re
from decimal import Decimal

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import BankAccount, ContactRequest, PayoutMode, PayoutRequest
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider

MASK_HINT_LENGTH = 4
# Public identifiers: plain columns, shown as they are (not searched for).
RAZORPAY_IDENTIFIERS = {
    "key_id": "rzp_test_DistinctKey1",
    "merchant_id": "acc_DistinctAcct01",
    "account_number": "7310486295301640",
}
# The Paytm website name is a public setting, shown like the identifiers.
PAYTM_IDENTIFIERS = {"key_id": "DSTNCT00000000000001", "paytm_website": "WBZQXJ7K"}
RAZORPAY_SECRETS = {
    "razorpay_key_secret": "WQ8ZJX3KV7YPGH2N5RTC",
    "razorpay_webhook_secret": "KX9QZJ4WV2HM7YBT",
}
PAYTM_SECRETS = {
    "paytm_merchant_key": "Vq7Zx2Kj9Wp4Hm3Y",  # 16 characters: an AES-128 key, as Paytm's
    # GUID-shaped, but every 5-character run holds a letter that is not hex: a random UUID in
    # a log line (Celery's task ids) can then never be mistaken for a piece of it.
    "paytm_subwallet_guid": "9eQc7bZa-QXZJ-4fXd-8K3W-6dYb5aZc7eW0",
    "paytm_client_id": "CQZJ4X",
}
SANDBOX_PAYTM = "http://sandbox.testserver/sandbox/paytm"


def runs(secret: str) -> set[str]:
    """Every piece of `secret` longer than the mask hint (its shortest such pieces suffice)."""
    length = MASK_HINT_LENGTH + 1
    if len(secret) < length:
        return {secret}
    return {secret[start : start + length] for start in range(len(secret) - length + 1)}


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def leaks(text: str, secrets) -> list[str]:
    """The secrets (whole, or any run longer than 4 characters) that occur in `text`.
    CSRF tokens are random letters and digits, unrelated to any secret: left out."""
    text = CSRF_TOKEN.sub("", text)
    return sorted(secret for secret in secrets if any(run in text for run in runs(secret)))


def razorpay_configuration(*, hospital, **overrides) -> GatewayConfiguration:
    return GatewayConfigurationFactory.create(
        hospital=hospital, name="Razorpay main", **RAZORPAY_IDENTIFIERS, **RAZORPAY_SECRETS, **overrides
    )


def paytm_configuration(*, hospital, **overrides) -> GatewayConfiguration:
    """A Paytm configuration on the sandbox, and the sandbox merchant that holds its keys."""
    configuration = GatewayConfigurationFactory.create(
        hospital=hospital,
        paytm=True,
        name="Paytm main",
        base_url=SANDBOX_PAYTM,
        payout_base_url=SANDBOX_PAYTM,
        **PAYTM_IDENTIFIERS,
        **PAYTM_SECRETS,
        **overrides,
    )
    credentials = credentials_for(configuration)
    SandboxMerchant.objects.get_or_create(
        key_id=credentials.value("mid"),
        defaults={
            "provider": SandboxProvider.PAYTM,
            "name": "Secrets test merchant",
            "key_secret": credentials.value("merchant_key"),
            "account_number": credentials.value("subwallet_guid"),
        },
    )
    return configuration


def bank_payout(reference_id: str, **overrides) -> PayoutRequest:
    fields = {
        "amount": Decimal("2750.00"),
        "mode": PayoutMode.IMPS,
        "idempotency_key": f"idem-{reference_id}",
        "reference_id": reference_id,
        "destination": BankAccount(
            holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number="50100012345678"
        ),
        "beneficiary": ContactRequest(name="Medi Supply Co", reference_id="SUP-9"),
        "narration": "Invoice INV-90",
        "callback_url": "",
    }
    return PayoutRequest(**{**fields, **overrides})
