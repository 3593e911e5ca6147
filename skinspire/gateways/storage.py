"""Where a configuration's schema values are kept (see GatewayConfiguration): public
identifiers in their plain, indexed columns, other public settings in `public_settings`,
secrets in the one encrypted `secrets` JSON. Reading and placing values by schema field
name, for the services and the credentials accessor; nothing else touches the layout.
"""

from collections.abc import Mapping

from skinspire.gateways.models import PUBLIC_IDENTIFIER_NAMES, GatewayConfiguration
from skinspire.gateways.providers.interface.configuration import ConfigurationSchema


def values_place(
    *,
    configuration: GatewayConfiguration,
    schema: ConfigurationSchema,
    public: Mapping[str, str],
    secrets: Mapping[str, str],
) -> None:
    """Set every stored value of `configuration` (unsaved) to the schema's: `public` holds
    each public field (a missing one is empty), `secrets` each secret that is set. Columns
    and settings the schema does not use are emptied, so a change of provider leaves
    nothing of the old one behind."""
    columns = dict.fromkeys(PUBLIC_IDENTIFIER_NAMES, "")
    public_settings = {}
    for item in schema.fields:
        value = "" if item.secret else public.get(item.name, "")
        for column in item.columns:
            columns[column] = value
        if not item.secret and not item.columns and value:
            public_settings[item.name] = value
    for column, value in columns.items():
        setattr(configuration, column, value)
    configuration.public_settings = public_settings
    configuration.secrets = {name: secrets[name] for name in schema.secret_names if secrets.get(name)}


def public_values(*, configuration: GatewayConfiguration, schema: ConfigurationSchema) -> dict[str, str]:
    """Every public field's stored value, by name ("" when unset)."""
    values = {}
    for item in schema.fields:
        if item.secret:
            continue
        if item.columns:
            values[item.name] = getattr(configuration, item.columns[0]) or ""
        else:
            values[item.name] = (configuration.public_settings or {}).get(item.name, "")
    return values
