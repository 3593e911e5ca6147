"""The Razorpay adapter's payout links against the sandbox, in-process: create, fetch, the
recipient's claim on the hosted page, cancel, expiry, and the payout_link.* webhooks."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError
from skinspire.gateways.providers.interface import ContactRequest, PayoutLinkRequest, PayoutLinkStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox/razorpay"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(
        webhook_url="https://hospital.example/hook", account_number="2323230041626905"
    )


@pytest.fixture
def provider(hospital, merchant):
    configuration = GatewayConfigurationFactory(
        hospital=hospital,
        base_url=SANDBOX,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )
    return provider_for(configuration)


def _request(**overrides) -> PayoutLinkRequest:
    fields = {
        "amount": Decimal("2500.00"),
        "reference_id": "SPLINK0001",
        "contact": ContactRequest(name="Medi Supply Co", reference_id="SUP-7", email="a@medisupply.test",
                                  phone="9876543210"),
        "description": "Invoices INV-7, INV-8",
        "send_email": True,
        "expire_by": timezone.now() + timedelta(hours=48),
        "notes": {"payment": "SPLINK0001"},
    }  # fmt: skip
    return PayoutLinkRequest(**{**fields, **overrides})


def test_create_sends_the_documented_body_and_reads_the_link(provider):
    result = provider.create_payout_link(_request())

    stored = SandboxObject.objects.get(object_id=result.gateway_link_id)
    assert result.gateway_link_id.startswith("poutlk_")
    assert (result.status, result.gateway_status, result.amount) == (
        PayoutLinkStatus.ISSUED,
        "issued",
        Decimal("2500.00"),
    )
    assert result.url.endswith(f"/sandbox/razorpay/payout-links/{result.gateway_link_id}/")
    assert result.reference_id == "SPLINK0001"
    assert result.expires_at is not None and result.expires_at > timezone.now()
    assert stored.body["contact"] == {
        "name": "Medi Supply Co",
        "email": "a@medisupply.test",
        "contact": "9876543210",
    }
    assert (stored.body["purpose"], stored.body["send_email"], stored.body["send_sms"]) == (
        "vendor bill",
        True,
        False,
    )


def test_fetch_follows_the_claim_and_the_payout(provider):
    link = provider.create_payout_link(_request())
    Client().post(
        link.url.removeprefix("http://sandbox.testserver"), {"account_type": "vpa", "vpa": "medi@okhdfc"}
    )

    claimed = provider.fetch_payout_link(link.gateway_link_id)
    assert claimed.status == PayoutLinkStatus.PROCESSING
    assert claimed.gateway_payout_id.startswith("pout_") and claimed.attempt_count == 1
    payout_advance(payout_id=claimed.gateway_payout_id)

    processed = provider.fetch_payout_link(link.gateway_link_id)
    assert processed.status == PayoutLinkStatus.PROCESSED
    payout = provider.fetch_payout(gateway_payout_id=processed.gateway_payout_id)
    assert payout.utr and payout.fee == Decimal("5.90")


def test_cancel_an_issued_link_and_not_a_processed_one(provider):
    link = provider.create_payout_link(_request())

    cancelled = provider.cancel_payout_link(link.gateway_link_id)

    assert cancelled.status == PayoutLinkStatus.CANCELLED
    with pytest.raises(GatewayAPIError) as caught:
        provider.cancel_payout_link(link.gateway_link_id)
    assert "cancelled state" in caught.value.message


def test_an_expired_link_reads_expired(provider):
    link = provider.create_payout_link(_request())
    row = SandboxObject.objects.get(object_id=link.gateway_link_id)
    row.body["expire_by"] = int(timezone.now().timestamp()) - 1
    row.save()

    assert provider.fetch_payout_link(link.gateway_link_id).status == PayoutLinkStatus.EXPIRED


def test_payout_link_webhooks_parse_to_events(provider):
    link = provider.create_payout_link(_request())
    Client().post(
        link.url.removeprefix("http://sandbox.testserver"), {"account_type": "vpa", "vpa": "medi@okhdfc"}
    )
    delivery = SandboxWebhookDelivery.objects.get(event_type="payout_link.processing")
    body = delivery.body.encode()
    headers = dict(delivery.headers)

    assert provider.verify_webhook(body=body, headers=headers)
    event = provider.parse_webhook(body=body, headers=headers)

    payout_id = json.loads(body)["payload"]["payout_link"]["entity"]["payout_id"]
    assert (event.object_type, event.object_id, event.status) == (
        "payout_link",
        link.gateway_link_id,
        "processing",
    )
    assert (event.reference_id, event.gateway_payout_id) == ("SPLINK0001", payout_id)
    assert event.amount == Decimal("2500.00")


def test_fetch_by_our_reference_when_the_create_answer_was_lost(provider):
    link = provider.create_payout_link(_request(reference_id="SPLOST0001"))

    found = provider.fetch_payout_link(reference_id="SPLOST0001")

    assert found.gateway_link_id == link.gateway_link_id
    with pytest.raises(GatewayNotFoundError):
        provider.fetch_payout_link(reference_id="SPNOSUCH01")
