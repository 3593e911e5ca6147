"""Which gateways exist, and the configuration schema of each: read from the provider
classes settings.GATEWAY_PROVIDERS names, so registering a provider there is all it takes
for its configurations to be stored, validated and shown in admin.

Nothing here is imported at module level but settings: the model module uses
`provider_choices` for its choices, before any provider module may be imported.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from skinspire.gateways.providers.interface.configuration import ConfigurationSchema


def provider_names() -> list[str]:
    return list(settings.GATEWAY_PROVIDERS)


def is_registered(provider: str) -> bool:
    return str(provider) in settings.GATEWAY_PROVIDERS


def schema_for(provider: str) -> "ConfigurationSchema":
    """The schema of a registered provider; KeyError for one not registered."""
    return import_string(settings.GATEWAY_PROVIDERS[str(provider)]).configuration_schema


def provider_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered provider: the choices of a configuration's provider.
    A callable, so the migrations do not list the providers and a new one needs none."""
    return [(name, schema_for(name).label) for name in provider_names()]
