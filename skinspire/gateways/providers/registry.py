"""Providers by dotted path (django-payments style): settings.GATEWAY_PROVIDERS names the
class for each provider; `provider_for` builds one for a configuration.

This is the only place a provider gets its credentials: they are read and decrypted here,
at build time, never while listing or choosing configurations. Before they are handed
over, both base URLs are checked against the rule in skinspire.gateways.endpoints (a row
written around the services, by raw SQL, is refused here), and the provider's session is
bound to those two URLs.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from skinspire.gateways import endpoints
from skinspire.gateways.credentials import GatewayCredentials, credentials_for
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


def provider_for(configuration: GatewayConfiguration | None) -> PaymentProvider:
    """A ready adapter for this configuration, with its own HTTP session. A record that has
    no configuration (its nullable foreign key is empty) cannot reach a gateway."""
    if configuration is None:
        raise GatewayConfigurationError("There is no gateway configuration to use.", code="no_configuration")
    adapter = provider_class(configuration.provider)
    credentials = credentials_for(configuration)
    allowed = destination_checked(credentials)
    return adapter(
        configuration=configuration,
        credentials=credentials,
        session=new_session(allowed_base_urls=allowed, secret_values=credentials.secret_values),
    )


def destination_checked(credentials: GatewayCredentials) -> tuple[str, str]:
    """The two base URLs the credentials may go to; GatewayConfigurationError if either is
    not allowed for the configuration's provider and mode."""
    urls = {endpoints.API: credentials.base_url, endpoints.PAYOUTS: credentials.payout_base_url}
    for api, url in urls.items():
        problem = endpoints.url_problem(url, provider=credentials.provider, mode=credentials.mode, api=api)
        if problem:
            raise GatewayConfigurationError(
                f"This gateway configuration cannot be used: {problem} A gateway admin must correct it.",
                provider=credentials.provider,
                code="base_url_refused",
                extra={"field": endpoints.FIELD_FOR[api]},
            )
    return credentials.base_url, credentials.payout_base_url
