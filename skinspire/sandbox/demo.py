"""Demo gateways: a sandbox Razorpay and a sandbox Paytm account, and the demo hospital's
configurations pointing at them. The README lists these values; they are sandbox-only.
Another hospital seeded here gets sandbox accounts of its own (`demo_merchant_for`).
The configurations are written by the service, so the demo obeys the base-URL rule too
(the sandbox's URL must be on GATEWAY_BASE_URL_ALLOWLIST, as it is by default in development).
"""

import hashlib
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.test.utils import override_settings

from skinspire.gateways.models import Capability, GatewayConfiguration, Mode, Provider
from skinspire.gateways.providers.schemas import schema_for
from skinspire.gateways.services import gateway_configuration_create
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.razorpay.events import account_id_for

RAZORPAY_KEY_ID = "rzp_test_SkinspDemo0001"
RAZORPAY_KEY_SECRET = "sandbox_rzp_secret_5f2a9c1e7b"
RAZORPAY_WEBHOOK_SECRET = "sandbox_rzp_whsec_8d3b6a41"
RAZORPAYX_ACCOUNT_NUMBER = "7878780080316316"
# The account id the sandbox's Razorpay webhooks name this merchant by (the envelope's
# `account_id`, derived from the key id by the sandbox's razorpay/events.py
# `account_id_for`); a real merchant copies it from the Razorpay dashboard.
RAZORPAY_MERCHANT_ACCOUNT_ID = "acc_d10de69206b02e"
PAYTM_MID = "SKNSPR00000000000001"
PAYTM_MERCHANT_KEY = "SbxKey2026Paytm1"  # Paytm merchant keys are 16 characters (AES-128)
PAYTM_SUBWALLET_GUID = "5b0e7a1c-9d3f-4c2e-8a61-2f4d9e7c1b30"
PAYTM_WEBSITE = "WEBSTAGING"
PAYTM_CLIENT_ID = "C11"


def site_url() -> str:
    """The site the sandbox belongs to (SANDBOX_BASE_URL without /sandbox)."""
    return settings.SANDBOX_BASE_URL.rstrip("/").removesuffix("/sandbox")


def capabilities_of(provider: str) -> list[str]:
    """Every capability the provider has an API for, in the usual order."""
    supported = schema_for(provider).capabilities
    return [choice.value for choice in Capability if choice in supported]


@dataclass(frozen=True)
class DemoMerchant:
    """One hospital's sandbox credentials for one provider."""

    key_id: str  # Razorpay's key id, Paytm's MID
    key_secret: str  # Razorpay's key secret, Paytm's merchant key
    webhook_secret: str
    account_number: str  # the RazorpayX account number, Paytm's subwallet GUID


PUBLISHED: dict[str, DemoMerchant] = {
    SandboxProvider.RAZORPAY: DemoMerchant(
        RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET, RAZORPAYX_ACCOUNT_NUMBER
    ),
    SandboxProvider.PAYTM: DemoMerchant(
        PAYTM_MID, PAYTM_MERCHANT_KEY, PAYTM_MERCHANT_KEY, PAYTM_SUBWALLET_GUID
    ),
}


def demo_merchant_for(*, hospital, provider: str) -> DemoMerchant:
    """The README's credentials for the first hospital seeded with them; any other hospital
    gets a merchant of its own. A shared merchant would put each hospital's payments in the
    other's settlements (so in its reconciliation runs) and its webhooks could name either."""
    published = PUBLISHED[provider]
    taken = (
        GatewayConfiguration.objects.filter(provider=provider, key_id=published.key_id)
        .exclude(hospital=hospital)
        .exists()
    )
    if not taken:
        return published
    return _own_merchant(hospital=hospital, provider=provider)


def _own_merchant(*, hospital, provider: str) -> DemoMerchant:
    """Ids derived from the hospital's code (stable, so seeding again finds them); secrets
    made once, at random, and read back from the merchant after that."""
    digest = hashlib.sha256(f"{provider}:{hospital.code}".encode()).hexdigest()
    digits = str(int(digest, 16))
    if provider == SandboxProvider.RAZORPAY:
        key_id, account_number = f"rzp_test_{digest[:14]}", digits[:16]
    else:
        key_id, account_number = f"SKNSPR{digits[:14]}", str(uuid.UUID(digest[:32]))
    existing = SandboxMerchant.objects.filter(key_id=key_id).first()
    if existing is not None:
        return DemoMerchant(key_id, existing.key_secret, existing.webhook_secret, account_number)
    if provider == SandboxProvider.RAZORPAY:
        secret, webhook_secret = (
            f"sandbox_rzp_secret_{secrets.token_hex(5)}",
            f"sandbox_rzp_whsec_{secrets.token_hex(4)}",
        )
    else:  # Paytm's merchant key is 16 characters (AES-128) and signs its webhooks too
        secret = webhook_secret = secrets.token_hex(8)
    return DemoMerchant(key_id, secret, webhook_secret, account_number)


def _merchant_upsert(*, hospital, provider: str, values: DemoMerchant, webhook_path: str) -> SandboxMerchant:
    label = "Skinspire Demo" if values == PUBLISHED[provider] else hospital.name
    merchant, _ = SandboxMerchant.objects.update_or_create(
        key_id=values.key_id,
        defaults={
            "provider": provider,
            "name": f"{label} ({SandboxProvider(provider).label} sandbox)",
            "key_secret": values.key_secret,
            "webhook_secret": values.webhook_secret,
            "webhook_url": f"{site_url()}{webhook_path}",
            "account_number": values.account_number,
        },
    )
    return merchant


def seed(*, hospital, out) -> None:
    razorpay = demo_merchant_for(hospital=hospital, provider=SandboxProvider.RAZORPAY)
    paytm = demo_merchant_for(hospital=hospital, provider=SandboxProvider.PAYTM)
    razorpay_merchant = _merchant_upsert(
        hospital=hospital,
        provider=SandboxProvider.RAZORPAY,
        values=razorpay,
        webhook_path="/api/gateway/webhook/razorpay",
    )
    paytm_merchant = _merchant_upsert(
        hospital=hospital,
        provider=SandboxProvider.PAYTM,
        values=paytm,
        webhook_path="/api/gateway/webhook/paytm",
    )
    sandbox = settings.SANDBOX_BASE_URL.rstrip("/")
    # Through the service admin uses, so the demo rows pass the same validation as real ones.
    if not GatewayConfiguration.objects.filter(hospital=hospital, provider=Provider.RAZORPAY).exists():
        gateway_configuration_create(
            hospital=hospital,
            branch=None,
            name="Razorpay (sandbox)",
            provider=Provider.RAZORPAY,
            mode=Mode.TEST,
            is_default=True,
            priority=10,
            base_url=f"{sandbox}/razorpay",
            capabilities=capabilities_of(Provider.RAZORPAY),
            values={
                "key_id": razorpay.key_id,
                "account_id": account_id_for(merchant=razorpay_merchant),
                "account_number": razorpay.account_number,
                "key_secret": razorpay.key_secret,
                "webhook_secret": razorpay.webhook_secret,
            },
        )
    if not GatewayConfiguration.objects.filter(hospital=hospital, provider=Provider.PAYTM).exists():
        gateway_configuration_create(
            hospital=hospital,
            branch=None,
            name="Paytm (sandbox)",
            provider=Provider.PAYTM,
            mode=Mode.TEST,
            priority=20,
            base_url=f"{sandbox}/paytm",
            payout_base_url=f"{sandbox}/paytm",
            capabilities=capabilities_of(Provider.PAYTM),
            values={
                "mid": paytm.key_id,
                "merchant_key": paytm.key_secret,
                "subwallet_guid": paytm.account_number,
                "website": PAYTM_WEBSITE,
                "client_id": PAYTM_CLIENT_ID,
            },
        )
    out.write(f"Sandbox gateways at {sandbox}/ :")
    out.write(f"  Razorpay key id {razorpay_merchant.key_id}  (base_url {sandbox}/razorpay)")
    out.write(f"  Paytm MID {paytm_merchant.key_id}  (base URL {sandbox}/paytm)")


@contextmanager
def gateway_calls() -> Iterator[None]:
    """seed_demo's gateway calls (its second pass) served by this project in-process: the
    sandbox is part of this site, which `make run` starts only after seeding. The transport is
    the one the tests use (skinspire/core/testing.py), mounted for the sandbox's own URL only;
    what the sandbox then sends (webhooks) goes through Celery once the site is up."""
    prefix = settings.SANDBOX_BASE_URL.rstrip("/") + "/"
    with override_settings(GATEWAY_INPROCESS_PREFIXES=[*settings.GATEWAY_INPROCESS_PREFIXES, prefix]):
        yield
