"""Decrypted credentials, read only when an adapter is built.

Configurations are normally loaded with their secret columns deferred
(`GatewayConfiguration.objects.without_secrets()`), so listing or choosing a gateway never
decrypts anything; `credentials_for` reads and decrypts the secrets of one configuration
at the moment a provider needs them. The dataclass hides its values from repr and logs.
"""

from dataclasses import dataclass, field

from skinspire.gateways.models import PUBLIC_IDENTIFIER_NAMES, SECRET_FIELD_NAMES, GatewayConfiguration


@dataclass(frozen=True)
class GatewayCredentials:
    provider: str
    mode: str
    base_url: str
    payout_base_url: str
    # Public identifiers (plain columns): shown in repr, unlike the secrets below.
    key_id: str = ""
    merchant_id: str = ""
    account_number: str = ""
    razorpay_key_secret: str = field(default="", repr=False)
    razorpay_webhook_secret: str = field(default="", repr=False)
    paytm_merchant_key: str = field(default="", repr=False)
    paytm_subwallet_guid: str = field(default="", repr=False)
    paytm_website: str = field(default="", repr=False)
    paytm_client_id: str = field(default="", repr=False)


def credentials_for(configuration: GatewayConfiguration) -> GatewayCredentials:
    stored = (
        GatewayConfiguration.objects.filter(pk=configuration.pk)
        .values(*PUBLIC_IDENTIFIER_NAMES, *SECRET_FIELD_NAMES)
        .get()
    )
    return GatewayCredentials(
        provider=configuration.provider,
        mode=configuration.mode,
        base_url=configuration.effective_base_url,
        payout_base_url=configuration.effective_payout_base_url,
        **{name: value or "" for name, value in stored.items()},
    )
