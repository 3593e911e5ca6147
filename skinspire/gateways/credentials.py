"""Decrypted credentials, read only when an adapter is built.

Configurations are normally loaded with their encrypted column deferred
(`GatewayConfiguration.objects.without_secrets()`), so listing or choosing a gateway never
decrypts anything; `credentials_for` reads one configuration's stored values at the
moment a provider needs them, by the names its configuration schema gives them
(providers/<name>/configuration.py): `credentials.value("key_secret")`. The secrets are
hidden from repr and logs.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from skinspire.gateways import storage
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.schemas import schema_for


@dataclass(frozen=True)
class GatewayCredentials:
    provider: str
    mode: str
    base_url: str
    payout_base_url: str
    # Public identifiers (plain columns), as the webhook receiver matches them.
    key_id: str = ""
    merchant_id: str = ""
    account_number: str = ""
    public: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)

    def value(self, name: str) -> str:
        """The value of the schema field `name`, secret or public ("" when unset)."""
        return self.secrets.get(name) or self.public.get(name) or ""

    @property
    def secret_values(self) -> tuple[str, ...]:
        return tuple(value for value in self.secrets.values() if value)


def credentials_for(configuration: GatewayConfiguration) -> GatewayCredentials:
    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    schema = schema_for(configuration.provider)
    return GatewayCredentials(
        provider=configuration.provider,
        mode=configuration.mode,
        base_url=configuration.effective_base_url,
        payout_base_url=configuration.effective_payout_base_url,
        key_id=stored.key_id,
        merchant_id=stored.merchant_id,
        account_number=stored.account_number,
        public=storage.public_values(configuration=stored, schema=schema),
        secrets={name: stored.secrets.get(name, "") for name in schema.secret_names},
    )
