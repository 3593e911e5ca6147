"""Where a configuration sends its credentials: the write-side rules the services apply.

Both base URLs must be allowed (skinspire.gateways.endpoints), and moving a stored
configuration to another provider, mode or host clears every secret not typed again, so
credentials entered for one destination are never sent to another.
"""

from typing import Any

from skinspire.core.errors import ApplicationError
from skinspire.gateways import endpoints, storage
from skinspire.gateways.models import GatewayConfiguration

DESTINATION_FIELD_NAMES = ("provider", "mode", "base_url", "payout_base_url")


def gateway_configuration_endpoints_check(
    *, provider: str, mode: str, base_url: str, payout_base_url: str
) -> None:
    """Raise ApplicationError (messages per field under extra["fields"]) unless both base
    URLs are allowed for this provider and mode."""
    errors = endpoints.endpoint_errors(
        provider=provider, mode=mode, base_url=base_url, payout_base_url=payout_base_url
    )
    if errors:
        message = " ".join(problem for problems in errors.values() for problem in problems)
        raise ApplicationError(message, extra={"fields": errors})


def _stored(configuration: GatewayConfiguration) -> dict[str, Any]:
    # From the database: an admin form has already copied the posted values onto the instance.
    return GatewayConfiguration.objects.filter(pk=configuration.pk).values(*DESTINATION_FIELD_NAMES).get()


def _destination(values: dict[str, Any]) -> tuple[str, str, str, str]:
    probe = GatewayConfiguration(**{name: values[name] or "" for name in DESTINATION_FIELD_NAMES})
    return probe.provider, probe.mode, probe.effective_base_url, probe.effective_payout_base_url


def gateway_configuration_secrets_reset(
    *, configuration: GatewayConfiguration, changes: dict[str, Any]
) -> bool:
    """Whether `changes` point the stored configuration's credentials somewhere else."""
    if configuration.pk is None:
        return False
    stored = _stored(configuration)
    target = {**stored, **{name: changes[name] for name in DESTINATION_FIELD_NAMES if name in changes}}
    return _destination(stored) != _destination(target)


def gateway_configuration_destination_check(
    *, configuration: GatewayConfiguration, changes: dict[str, Any], typed: dict[str, str]
) -> list[str]:
    """Check the updated base URLs; return the secrets the update must clear (sorted names)."""
    stored = _stored(configuration)
    target = {**stored, **{name: changes[name] for name in DESTINATION_FIELD_NAMES if name in changes}}
    gateway_configuration_endpoints_check(**target)
    if _destination(stored) == _destination(target):
        return []
    return sorted(set(_set_secret_names(configuration)) - set(typed))


def _set_secret_names(configuration: GatewayConfiguration) -> list[str]:
    """The secrets that hold a value (read from the database: the write path may decrypt)."""
    return sorted(storage.stored_secrets(configuration))
