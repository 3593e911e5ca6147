"""Demo gateways: a sandbox Razorpay and a sandbox Paytm account, and the demo hospital's
configurations pointing at them. The README lists these values; they are sandbox-only.
The configurations are written by the service, so the demo obeys the base-URL rule too
(the sandbox's URL must be on GATEWAY_BASE_URL_ALLOWLIST, as it is by default in development).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.test.utils import override_settings

from skinspire.gateways.models import Capability, GatewayConfiguration, Mode, Provider
from skinspire.gateways.providers.schemas import schema_for
from skinspire.gateways.services import gateway_configuration_create
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider

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


def seed(*, hospital, out) -> None:
    razorpay_merchant, _ = SandboxMerchant.objects.update_or_create(
        key_id=RAZORPAY_KEY_ID,
        defaults={
            "provider": SandboxProvider.RAZORPAY,
            "name": "Skinspire Demo (Razorpay sandbox)",
            "key_secret": RAZORPAY_KEY_SECRET,
            "webhook_secret": RAZORPAY_WEBHOOK_SECRET,
            "webhook_url": f"{site_url()}/api/gateway/webhook/razorpay",
            "account_number": RAZORPAYX_ACCOUNT_NUMBER,
        },
    )
    paytm_merchant, _ = SandboxMerchant.objects.update_or_create(
        key_id=PAYTM_MID,
        defaults={
            "provider": SandboxProvider.PAYTM,
            "name": "Skinspire Demo (Paytm sandbox)",
            "key_secret": PAYTM_MERCHANT_KEY,
            "webhook_secret": PAYTM_MERCHANT_KEY,
            "webhook_url": f"{site_url()}/api/gateway/webhook/paytm",
            "account_number": PAYTM_SUBWALLET_GUID,
        },
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
                "key_id": RAZORPAY_KEY_ID,
                "account_id": RAZORPAY_MERCHANT_ACCOUNT_ID,
                "account_number": RAZORPAYX_ACCOUNT_NUMBER,
                "key_secret": RAZORPAY_KEY_SECRET,
                "webhook_secret": RAZORPAY_WEBHOOK_SECRET,
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
                "mid": PAYTM_MID,
                "merchant_key": PAYTM_MERCHANT_KEY,
                "subwallet_guid": PAYTM_SUBWALLET_GUID,
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
