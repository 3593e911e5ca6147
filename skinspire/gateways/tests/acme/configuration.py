"""What an Acme Pay account is configured with: a public key id and merchant code (plain
columns), a region (a public setting), an API secret of a fixed shape and a webhook secret
needed only for collections (both encrypted)."""

from skinspire.gateways.models import Capability
from skinspire.gateways.providers.interface.configuration import (
    API,
    PAYOUTS,
    ConfigurationField,
    ConfigurationSchema,
)

CONFIGURATION = ConfigurationSchema(
    label="Acme Pay",
    capabilities=frozenset({Capability.COLLECTIONS}),
    fields=(
        ConfigurationField(
            name="public_key",
            label="Acme Pay public key",
            columns=("key_id",),
            required=True,
            pattern=r"ak_[a-z0-9]{8}",
            pattern_message="An Acme Pay public key is ak_ and 8 lower-case letters or digits.",
        ),
        ConfigurationField(
            name="merchant_code", label="Acme Pay merchant code", columns=("merchant_id",), required=True
        ),
        ConfigurationField(name="region", label="Acme Pay region", max_length=4, help_text="eu, in or us."),
        ConfigurationField(
            name="api_secret", label="Acme Pay API secret", secret=True, required=True, length=24
        ),
        ConfigurationField(
            name="webhook_secret",
            label="Acme Pay webhook secret",
            secret=True,
            required_for=(Capability.COLLECTIONS,),
        ),
    ),
    official_origins={
        ("test", API): ("https://sandbox.acmepay.example",),
        ("live", API): ("https://api.acmepay.example",),
        ("test", PAYOUTS): ("https://sandbox.acmepay.example",),
        ("live", PAYOUTS): ("https://api.acmepay.example",),
    },
)
