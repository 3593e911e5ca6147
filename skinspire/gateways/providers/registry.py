"""Providers by dotted path (django-payments style): settings.GATEWAY_PROVIDERS names the
class for each provider; `provider_for` builds one for a configuration.

This is the only place a provider gets its credentials: they are read and decrypted here,
at build time, never while listing or choosing configurations.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.http import new_session
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import PaymentProvider


def provider_class(provider: str) -> type[PaymentProvider]:
    path = settings.GATEWAY_PROVIDERS.get(provider)
    if not path:
        raise GatewayConfigurationError(
            f"No adapter is registered for the gateway '{provider}' (settings.GATEWAY_PROVIDERS).",
            provider=provider,
            code="unknown_provider",
        )
    return import_string(path)


def provider_for(configuration: GatewayConfiguration) -> PaymentProvider:
    """A ready adapter for this configuration, with its own HTTP session."""
    return provider_class(configuration.provider)(
        configuration=configuration,
        credentials=credentials_for(configuration),
        session=new_session(),
    )
