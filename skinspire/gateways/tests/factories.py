"""Gateway configuration factories.

`GatewayConfigurationFactory()` is a sandbox Razorpay configuration (the default trait);
`GatewayConfigurationFactory(paytm=True)` a sandbox Paytm one. Both point at the in-process
sandbox (settings.SANDBOX_BASE_URL) and carry every capability, so adapters built from them
work in tests without further set-up. A Razorpay configuration's merchant id is the account
id the sandbox's webhooks carry for a merchant with the same key id; a Paytm one's is its MID.
"""

import factory
from django.conf import settings

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways.models import Capability, GatewayConfiguration, Mode, Provider
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.razorpay.events import account_id_for

EVERY_CAPABILITY = [choice.value for choice in Capability]


def _sandbox_url(provider: str) -> str:
    return f"{settings.SANDBOX_BASE_URL.rstrip('/')}/{provider}"


class GatewayConfigurationFactory(factory.django.DjangoModelFactory[GatewayConfiguration]):
    class Meta:
        model = GatewayConfiguration

    class Params:
        # The default is already a Razorpay configuration; the trait exists so call sites
        # can say which provider they mean.
        razorpay = factory.Trait(provider=Provider.RAZORPAY)
        paytm = factory.Trait(
            provider=Provider.PAYTM,
            name=factory.Sequence(lambda n: f"Paytm {n}"),
            payout_base_url=factory.LazyFunction(lambda: _sandbox_url("paytm")),
            key_id=factory.Sequence(lambda n: f"FACTRY{n:014d}"),
            merchant_id=factory.SelfAttribute("key_id"),  # Paytm's webhooks name the MID
            account_number="",
            razorpay_key_secret="",
            razorpay_webhook_secret="",
            # Paytm merchant keys are 16 characters (AES-128).
            paytm_merchant_key=factory.Sequence(lambda n: f"FactoryKey{n:06d}"),
            paytm_subwallet_guid=factory.Sequence(lambda n: f"5b0e7a1c-9d3f-4c2e-8a61-{n:012d}"),
            paytm_website="WEBSTAGING",
            paytm_client_id="C11",
        )

    hospital = factory.SubFactory(HospitalFactory)
    branch = None
    name = factory.Sequence(lambda n: f"Razorpay {n}")
    provider = Provider.RAZORPAY
    mode = Mode.TEST
    is_active = True
    is_default = False
    priority = 100
    base_url = factory.LazyAttribute(lambda configuration: _sandbox_url(configuration.provider))
    payout_base_url = ""
    capabilities = factory.LazyFunction(lambda: list(EVERY_CAPABILITY))
    key_id = factory.Sequence(lambda n: f"rzp_test_Factory{n:06d}")
    # The account id the sandbox's webhooks give a merchant with this key id.
    merchant_id = factory.LazyAttribute(
        lambda configuration: account_id_for(merchant=SandboxMerchant(key_id=configuration.key_id))
    )
    account_number = factory.Sequence(lambda n: f"78787800{n:08d}")
    razorpay_key_secret = factory.Sequence(lambda n: f"factory_rzp_secret_{n:08d}")
    razorpay_webhook_secret = factory.Sequence(lambda n: f"factory_rzp_whsec_{n:08d}")
    paytm_merchant_key = ""
    paytm_subwallet_guid = ""
    paytm_website = ""
    paytm_client_id = ""
