"""The webhook receiver finds the configurations a delivery belongs to by the merchant id
the delivery names (Razorpay's envelope `account_id`, Paytm's MID), a plain indexed column."""

import io
import json

import pytest

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.selectors import configuration_for_webhook
from skinspire.gateways.services import gateway_configuration_create, gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.razorpay.events import event_emit

pytestmark = pytest.mark.django_db


def test_the_demo_razorpay_configuration_is_found_by_the_sandbox_webhook_account_id(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())
    merchant = SandboxMerchant.objects.get(key_id=demo.RAZORPAY_KEY_ID)

    delivery = event_emit(
        merchant=merchant,
        event="payment.captured",
        entities={"payment": {"id": "pay_Demo0000000001", "entity": "payment"}},
        object_id="pay_Demo0000000001",
    )

    account_id = json.loads(delivery.body)["account_id"]
    assert account_id == demo.RAZORPAY_MERCHANT_ACCOUNT_ID
    found = configuration_for_webhook(provider="razorpay", merchant_id=account_id)
    assert list(found) == [GatewayConfiguration.objects.get(hospital=hospital, provider="razorpay")]


def test_the_demo_paytm_configuration_is_found_by_its_mid(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())

    found = configuration_for_webhook(provider="paytm", merchant_id=demo.PAYTM_MID)

    assert list(found) == [GatewayConfiguration.objects.get(hospital=hospital, provider="paytm")]


def test_only_active_configurations_of_that_provider_and_merchant_are_found(hospital, branch):
    wanted = GatewayConfigurationFactory(hospital=hospital, merchant_id="acc_Wanted00000001")
    same_account_branch = GatewayConfigurationFactory(
        hospital=hospital, branch=branch, merchant_id="acc_Wanted00000001"
    )
    GatewayConfigurationFactory(hospital=hospital, merchant_id="acc_Wanted00000001", is_active=False)
    GatewayConfigurationFactory(hospital=hospital, merchant_id="acc_Other000000001")
    GatewayConfigurationFactory(hospital=hospital, paytm=True, key_id="acc_Wanted00000001")

    found = configuration_for_webhook(provider="razorpay", merchant_id="acc_Wanted00000001")

    assert list(found) == [wanted, same_account_branch]


def test_a_blank_merchant_id_finds_nothing(hospital):
    GatewayConfigurationFactory(hospital=hospital, merchant_id="")

    assert list(configuration_for_webhook(provider="razorpay", merchant_id="")) == []


def test_a_paytm_merchant_id_follows_its_mid_through_the_service(hospital):
    configuration = gateway_configuration_create(
        hospital=hospital,
        branch=None,
        name="Paytm",
        provider="paytm",
        mode="test",
        base_url="http://sandbox.testserver/sandbox/paytm",
        payout_base_url="http://sandbox.testserver/sandbox/paytm",
        values={"mid": " SKNSPR00000000000077 ", "merchant_key": "SbxKey2026Paytm7"},
    )
    assert (configuration.key_id, configuration.merchant_id) == ("SKNSPR00000000000077",) * 2

    gateway_configuration_update(
        configuration=configuration, changes={}, values={"mid": "SKNSPR00000000000078"}
    )

    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    assert (stored.key_id, stored.merchant_id) == ("SKNSPR00000000000078",) * 2
