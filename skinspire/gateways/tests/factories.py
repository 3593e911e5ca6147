"""Gateway configuration factories.

`GatewayConfigurationFactory()` is a sandbox Razorpay configuration (the default trait);
`GatewayConfigurationFactory(paytm=True)` a sandbox Paytm one. Both point at the in-process
sandbox (settings.SANDBOX_BASE_URL) and carry every capability, so adapters built from them
work in tests without further set-up. A Razorpay configuration's merchant id is the account
id the sandbox's webhooks carry for a merchant with the same key id; a Paytm one's is its MID.

Provider values are given as the admin form names them, "<provider>_<field>"
(razorpay_key_secret=..., paytm_merchant_key=...), or for public identifiers by their
column (key_id=..., merchant_id=..., account_number=...). They are stored the way the
services store them (skinspire.gateways.storage), but without the services' rules, so a
test can build the broken configuration it is about.
"""

import factory
from django.conf import settings

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways import storage
from skinspire.gateways.models import (
    PUBLIC_IDENTIFIER_NAMES,
    Capability,
    GatewayConfiguration,
    Mode,
    Provider,
)
from skinspire.gateways.providers.schemas import provider_names, schema_for
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
    razorpay_key_secret = factory.Maybe(
        "paytm", no_declaration=factory.Sequence(lambda n: f"factory_rzp_secret_{n:08d}")
    )
    razorpay_webhook_secret = factory.Maybe(
        "paytm", no_declaration=factory.Sequence(lambda n: f"factory_rzp_whsec_{n:08d}")
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        provider = kwargs["provider"]
        values = _provider_values(provider, kwargs)
        configuration = model_class(*args, **kwargs)
        schema = schema_for(provider)
        public = {name: values.get(name, "") for name in schema.public_names}
        secrets = {name: values[name] for name in schema.secret_names if values.get(name)}
        storage.values_place(configuration=configuration, schema=schema, public=public, secrets=secrets)
        configuration.save()
        return configuration


def _provider_values(provider: str, kwargs: dict) -> dict[str, str]:
    """Take every provider value out of `kwargs` (which keeps the model's own fields),
    by schema name: "<provider>_<field>" first, then an identifier column's value for the
    field stored in it. Another provider's values are dropped."""
    columns = {name: kwargs.pop(name) or "" for name in PUBLIC_IDENTIFIER_NAMES if name in kwargs}
    values = {}
    for name in provider_names():
        for item in schema_for(name).fields:
            given = kwargs.pop(f"{name}_{item.name}", None)
            if name == provider and given is not None:
                values[item.name] = given
    for item in schema_for(provider).fields:
        if item.columns and item.name not in values:
            values[item.name] = columns.get(item.columns[0], "")
    return values
