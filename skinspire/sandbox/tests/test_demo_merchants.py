"""The demo's sandbox gateways for more than one hospital: the first hospital seeded gets the
README's merchants, every other one merchants of its own (ids from its code, secrets of its
own), and seeding again changes nothing. A webhook of the second hospital's merchant finds
its configuration only."""

import io

import pytest

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.selectors import configuration_for_webhook
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.razorpay.events import account_id_for

pytestmark = pytest.mark.django_db


def seed(*hospitals) -> None:
    for hospital in hospitals:
        demo.seed(hospital=hospital, out=io.StringIO())


def merchants() -> list[tuple]:
    return list(
        SandboxMerchant.objects.order_by("pk").values_list(
            "provider", "key_id", "key_secret", "webhook_secret", "account_number"
        )
    )


def test_the_first_hospital_keeps_the_readmes_merchants_and_another_gets_its_own():
    first, second = HospitalFactory(code="asha"), HospitalFactory(code="ravi")
    seed(first, second)

    configured = {
        (row.hospital.code, row.provider): row
        for row in GatewayConfiguration.objects.select_related("hospital")
    }
    assert configured["asha", "razorpay"].key_id == demo.RAZORPAY_KEY_ID
    assert configured["asha", "razorpay"].merchant_id == demo.RAZORPAY_MERCHANT_ACCOUNT_ID
    assert configured["asha", "paytm"].key_id == demo.PAYTM_MID
    own_razorpay = SandboxMerchant.objects.get(key_id=configured["ravi", "razorpay"].key_id)
    own_paytm = SandboxMerchant.objects.get(key_id=configured["ravi", "paytm"].key_id)
    assert own_razorpay.key_id.startswith("rzp_test_") and own_razorpay.key_id != demo.RAZORPAY_KEY_ID
    assert own_paytm.key_id.startswith("SKNSPR") and own_paytm.key_id != demo.PAYTM_MID
    assert len(own_paytm.key_id) == 20 and len(own_paytm.key_secret) == 16
    assert own_razorpay.key_secret != demo.RAZORPAY_KEY_SECRET
    assert own_razorpay.account_number != demo.RAZORPAYX_ACCOUNT_NUMBER
    assert own_paytm.account_number != demo.PAYTM_SUBWALLET_GUID
    assert own_razorpay.name == f"{second.name} (Razorpay sandbox)"

    # The configuration holds the merchant's own secrets, as a gateway admin would type them.
    razorpay = credentials_for(configured["ravi", "razorpay"])
    assert razorpay.value("key_secret") == own_razorpay.key_secret
    assert razorpay.value("webhook_secret") == own_razorpay.webhook_secret
    assert razorpay.value("account_number") == own_razorpay.account_number
    paytm = credentials_for(configured["ravi", "paytm"])
    assert (paytm.value("merchant_key"), paytm.value("subwallet_guid")) == (
        own_paytm.key_secret,
        own_paytm.account_number,
    )


def test_seeding_again_changes_no_merchant():
    first, second = HospitalFactory(), HospitalFactory()
    seed(first, second)
    before = merchants()

    seed(second, first)

    assert merchants() == before
    assert len(before) == 4
    assert GatewayConfiguration.objects.count() == 4


def test_the_second_hospitals_webhooks_find_its_configuration_only():
    first, second = HospitalFactory(), HospitalFactory()
    seed(first, second)
    own = SandboxMerchant.objects.get(
        key_id=GatewayConfiguration.objects.get(hospital=second, provider="razorpay").key_id
    )

    found = configuration_for_webhook(provider="razorpay", merchant_id=account_id_for(merchant=own))

    assert [configuration.hospital for configuration in found] == [second]
    paytm = GatewayConfiguration.objects.get(hospital=second, provider="paytm")
    assert [
        row.hospital for row in configuration_for_webhook(provider="paytm", merchant_id=paytm.key_id)
    ] == [second]
