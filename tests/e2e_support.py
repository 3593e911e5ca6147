"""Shared set-up for the end-to-end tests (no tests here).

The set-up is the demo's own (`skinspire.sandbox.demo.seed`, what `make run` loads): a
hospital whose Razorpay and Paytm configurations point at the sandbox, and sandbox
merchants with the same keys. Only the merchants' webhook URL differs: it is the test
receiver in tests/webhook_receiver_urls.py, since the real webhook inbox is its own issue.
"""

import io
from urllib.parse import urlsplit

from django.test import Client
from django.urls import clear_url_caches

from skinspire.gateways.providers.interface import GatewayEvent, PaymentProvider
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from tests.webhook_receiver_urls import RECEIVED, ReceivedWebhook

RECEIVER_URLCONF = "tests.webhook_receiver_urls"
SANDBOX_HOST = "sandbox.testserver"
HOOKS = f"http://{SANDBOX_HOST}/test-hooks"


def receiver_install(settings) -> list[ReceivedWebhook]:
    """Serve the test receiver (pytest-django's `settings` puts the URLconf back afterwards)."""
    settings.ROOT_URLCONF = RECEIVER_URLCONF
    clear_url_caches()
    RECEIVED.clear()
    return RECEIVED


def receiver_uninstall() -> None:
    RECEIVED.clear()
    clear_url_caches()


def demo_gateways_seed(*, hospital) -> dict[str, SandboxMerchant]:
    """The demo configurations for `hospital` and its sandbox merchants (the README's for the
    first hospital seeded, its own for any other), webhooks to the receiver."""
    demo.seed(hospital=hospital, out=io.StringIO())
    merchants = {}
    for provider in ("razorpay", "paytm"):
        key_id = demo.demo_merchant_for(hospital=hospital, provider=provider).key_id
        merchant = SandboxMerchant.objects.get(key_id=key_id)
        merchant.webhook_url = f"{HOOKS}/{provider}/"
        merchant.save(update_fields=["webhook_url"])
        merchants[provider] = merchant
    return merchants


def received_from(provider: str) -> list[ReceivedWebhook]:
    return [hook for hook in RECEIVED if hook.provider == provider]


def verified_events(provider: PaymentProvider, hooks: list[ReceivedWebhook]) -> list[GatewayEvent]:
    """Every hook must verify; then each is parsed, in arrival order."""
    assert hooks, "no webhook arrived at the receiver"
    assert [provider.verify_webhook(body=hook.body, headers=hook.headers) for hook in hooks] == [True] * len(
        hooks
    )
    return [provider.parse_webhook(body=hook.body, headers=hook.headers) for hook in hooks]


def tampered(body: bytes) -> bytes:
    """The same webhook with a digit put in front of its amount, as an attacker would."""
    text = body.decode()
    for old, new in (
        ('"amount":"', '"amount":"1'),
        ('"amount":', '"amount":1'),
        ("TXNAMOUNT=", "TXNAMOUNT=1"),
    ):
        if old in text:
            return text.replace(old, new, 1).encode()
    raise AssertionError(f"no amount to tamper with in {text[:80]!r}")


def patient_browser() -> Client:
    """The patient's phone on the sandbox's hosted pages (served in-process)."""
    return Client(HTTP_HOST=SANDBOX_HOST)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == SANDBOX_HOST, url
    return parts.path + (f"?{parts.query}" if parts.query else "")
