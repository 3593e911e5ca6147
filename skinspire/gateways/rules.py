"""Every rule a gateway configuration obeys, checked in one place: the services run it
before each write, and the admin form runs it to show the messages on its fields, so no
entry point (admin, a service call, demo data) can store a configuration that breaks one.

- the provider is registered (settings.GATEWAY_PROVIDERS);
- both base URLs are allowed for the provider and mode (skinspire.gateways.endpoints);
- the branch belongs to the hospital;
- at most one active default per hospital, branch and mode;
- the provider's configuration schema (providers/<name>/configuration.py): its required
  fields, lengths and formats, and only the capabilities it has an API for;
- a move to another provider, mode or host (skinspire.gateways.destinations) clears every
  stored secret not typed again; the admin asks for them again instead.

Values are by schema field name. Given ones replace the stored ones; for an update, a
public field not given keeps its stored value, and a blank secret keeps the stored secret.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.gateways import endpoints, storage
from skinspire.gateways.destinations import destination_moved
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface.configuration import ConfigurationSchema
from skinspire.gateways.providers.schemas import is_registered, provider_names, schema_for
from skinspire.gateways.selectors import gateway_configuration_default_conflict

DEFAULT_CONFLICT_MESSAGE = (
    "Another active configuration is already the default for this hospital, branch and mode. "
    "Untick “default” here, or make the other one non-default first."
)
SECRETS_RESET_MESSAGE = (
    "{label} must be entered again: a change of provider, mode or base URL clears the stored credentials."
)


@dataclass(frozen=True)
class ConfigurationPlan:
    """What a write stores: every public value, every secret, and which secrets it sets."""

    schema: ConfigurationSchema
    public: dict[str, str]
    secrets: dict[str, str] = field(repr=False)
    typed_secrets: list[str]
    cleared_secrets: list[str]


MOVE_REFUSED = (
    "A gateway configuration stays with its hospital: add a new configuration for the other hospital "
    "instead (and deactivate this one)."
)


def gateway_configuration_plan(
    *,
    configuration: GatewayConfiguration | None,
    fields: Mapping[str, Any],
    values: Mapping[str, str],
    secrets_entered_again: bool = False,
) -> ConfigurationPlan:
    """The values a create (`configuration` None) or an update of `configuration` would
    store, given the plain `fields` it would have. ApplicationError with every field's
    messages under extra["fields"] if a rule is broken (ConflictError if a default clashes).
    With `secrets_entered_again`, a move refuses rather than clears the stored secrets."""
    stored = GatewayConfiguration.objects.get(pk=configuration.pk) if configuration is not None else None
    errors = _plain_errors(stored, fields)
    if "provider" in errors:
        raise _invalid(errors)
    schema = schema_for(fields["provider"])
    values = {name: (value or "").strip() for name, value in values.items()}
    _only_known(values, schema)
    moved = stored is not None and destination_moved(stored=stored, fields=fields)
    plan = _plan(stored, fields["provider"], schema, values, moved=moved)
    if secrets_entered_again and moved and stored is not None:
        errors.update(_reentry_errors(stored, fields["provider"], schema, values))
    capabilities = list(fields.get("capabilities") or [])
    schema_errors = schema.errors(values={**plan.public, **plan.secrets}, capabilities=capabilities)
    errors.update({name: problems for name, problems in schema_errors.items() if name not in errors})
    if errors:
        raise _invalid(errors)
    return plan


def _plain_errors(stored: GatewayConfiguration | None, fields: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    provider = fields.get("provider")
    if not provider or not is_registered(provider):
        registered = ", ".join(provider_names())
        errors["provider"] = [
            f"No adapter is registered for the gateway '{provider}' (registered: {registered})."
        ]
    elif all(name in fields for name in ("mode", "base_url", "payout_base_url")):
        errors.update(
            endpoints.endpoint_errors(
                provider=provider,
                mode=fields["mode"],
                base_url=fields["base_url"] or "",
                payout_base_url=fields["payout_base_url"] or "",
            )
        )
    hospital, branch = fields.get("hospital"), fields.get("branch")
    if stored is not None and hospital and hospital.pk != stored.hospital_id:
        # Its payments, links and reconciliation runs would all move with it (gateways 0012).
        errors["hospital"] = [MOVE_REFUSED]
    if hospital and branch and branch.hospital_id != hospital.pk:
        errors["branch"] = ["This branch belongs to another hospital."]
    conflict = _default_conflict(stored, fields)
    if conflict is not None:
        errors["is_default"] = [f"{DEFAULT_CONFLICT_MESSAGE} (It is “{conflict.name}”.)"]
    return errors


def _default_conflict(
    stored: GatewayConfiguration | None, fields: Mapping[str, Any]
) -> GatewayConfiguration | None:
    hospital = fields.get("hospital")
    if not (hospital and fields.get("is_default") and fields.get("is_active", True) and fields.get("mode")):
        return None
    branch = fields.get("branch")
    return gateway_configuration_default_conflict(
        hospital_id=hospital.pk,
        branch_id=branch.pk if branch else None,
        mode=fields["mode"],
        exclude_pk=stored.pk if stored is not None else None,
    )


def _only_known(values: Mapping[str, str], schema: ConfigurationSchema) -> None:
    unknown = sorted(set(values) - {item.name for item in schema.fields})
    if unknown:
        raise ValueError(f"Not configuration fields of {schema.label}: {', '.join(unknown)}")


def _plan(
    stored: GatewayConfiguration | None,
    provider: str,
    schema: ConfigurationSchema,
    values: dict[str, str],
    *,
    moved: bool,
) -> ConfigurationPlan:
    same_provider = stored is not None and stored.provider == provider
    stored_public = (
        storage.public_values(configuration=stored, schema=schema)
        if stored is not None and same_provider
        else {}
    )
    stored_secrets = stored.secrets if stored is not None else {}
    public = {name: values.get(name, stored_public.get(name, "")) for name in schema.public_names}
    typed = sorted(name for name in schema.secret_names if values.get(name))
    kept = {} if moved or not same_provider else stored_secrets
    secrets = {**kept, **{name: values[name] for name in typed}}
    cleared = sorted(set(stored_secrets) - set(typed)) if moved else []
    return ConfigurationPlan(schema, public, secrets, typed, cleared)


def _reentry_errors(
    stored: GatewayConfiguration, provider: str, schema: ConfigurationSchema, values: dict[str, str]
) -> dict[str, list[str]]:
    """The admin's way with a move: each stored secret of the same provider must be typed
    again, rather than silently cleared (another provider's are cleared: they are useless)."""
    if stored.provider != provider:
        return {}
    return {
        name: [SECRETS_RESET_MESSAGE.format(label=schema.field_named(name).label)]
        for name in schema.secret_names
        if stored.secrets.get(name) and not values.get(name)
    }


def _invalid(errors: dict[str, list[str]]) -> ApplicationError:
    message = " ".join(problem for problems in errors.values() for problem in problems)
    error_class = ConflictError if "is_default" in errors else ApplicationError
    return error_class(message, extra={"fields": errors})
