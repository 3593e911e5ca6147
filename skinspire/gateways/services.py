"""Writes of gateway configurations. Admin, demo data and anything else call these; nothing
writes credentials elsewhere.

`values` holds the provider's configuration fields by the names its schema gives them
(providers/<name>/configuration.py): public identifiers and settings, and secrets. Every
rule is checked first (skinspire.gateways.rules) and nothing is written if one fails. Log
lines name the secrets that changed, never their values; the audit log records plain
fields' and public values' old and new values, and a secret only as "changed".
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction

from skinspire.core.audit import SECRET_CHANGED, audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.models import Branch, Hospital
from skinspire.gateways import storage
from skinspire.gateways.models import PUBLIC_IDENTIFIER_NAMES, GatewayConfiguration
from skinspire.gateways.providers.schemas import schema_for
from skinspire.gateways.rules import DEFAULT_CONFLICT_MESSAGE, ConfigurationPlan, gateway_configuration_plan
from skinspire.gateways.webhooks.rotation import webhook_secret_rotation

logger = logging.getLogger(__name__)

EDITABLE_FIELD_NAMES = (
    "hospital",
    "branch",
    "name",
    "provider",
    "mode",
    "is_active",
    "is_default",
    "priority",
    "base_url",
    "payout_base_url",
    "capabilities",
    "webhook_allowed_ips",
)
STORED_VALUE_FIELDS = [*PUBLIC_IDENTIFIER_NAMES, "public_settings", "secrets"]
ACTION_CREATE = "gateway_configuration.create"
ACTION_UPDATE = "gateway_configuration.update"


def _save(configuration: GatewayConfiguration, update_fields: list[str] | None = None) -> None:
    # The partial unique constraints are the real guard against two defaults (the rule's
    # check can race); a savepoint keeps the caller's transaction usable after a clash.
    try:
        with transaction.atomic():
            configuration.save(update_fields=update_fields)
    except IntegrityError as error:
        raise ConflictError(
            DEFAULT_CONFLICT_MESSAGE, extra={"fields": {"is_default": [DEFAULT_CONFLICT_MESSAGE]}}
        ) from error


@transaction.atomic
def gateway_configuration_create(
    *,
    hospital: Hospital,
    branch: Branch | None,
    name: str,
    provider: str,
    mode: str,
    is_active: bool = True,
    is_default: bool = False,
    priority: int = 100,
    base_url: str = "",
    payout_base_url: str = "",
    capabilities: list[str] | None = None,
    webhook_allowed_ips: list[str] | None = None,
    values: Mapping[str, str] | None = None,
    created_by=None,
) -> GatewayConfiguration:
    fields = {
        "hospital": hospital,
        "branch": branch,
        "name": name,
        "provider": provider,
        "mode": mode,
        "is_active": is_active,
        "is_default": is_default,
        "priority": priority,
        "base_url": base_url,
        "payout_base_url": payout_base_url,
        "capabilities": list(capabilities or []),
        "webhook_allowed_ips": list(webhook_allowed_ips or []),
    }
    plan = gateway_configuration_plan(configuration=None, fields=fields, values=values or {})
    configuration = GatewayConfiguration(**fields, created_by=created_by)
    storage.values_place(
        configuration=configuration, schema=plan.schema, public=plan.public, secrets=plan.secrets
    )
    _save(configuration)
    audit_entry_record(
        action=ACTION_CREATE,
        actor=created_by,
        target=configuration,
        changes={
            **{
                name: {"from": None, "to": _stored_value(configuration, name)}
                for name in EDITABLE_FIELD_NAMES
            },
            **{name: {"from": None, "to": value} for name, value in plan.public.items()},
            **dict.fromkeys(plan.typed_secrets, SECRET_CHANGED),
        },
    )
    logger.info(
        "Gateway configuration %s created (%s, %s) for hospital %s; secrets set: %s",
        configuration.pk,
        provider,
        mode,
        hospital.pk,
        ", ".join(plan.typed_secrets) or "none",
    )
    return configuration


@transaction.atomic
def gateway_configuration_update(
    *,
    configuration: GatewayConfiguration,
    changes: dict[str, Any],
    values: Mapping[str, str] | None = None,
    secrets_entered_again: bool = False,
) -> GatewayConfiguration:
    """Apply `changes` (plain fields) and `values` (schema fields; a blank secret keeps the
    stored one). A move to another provider, mode or host clears every stored secret not
    typed again; with `secrets_entered_again` it is refused instead (the admin's way)."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELD_NAMES))
    if unknown:
        raise ValueError(f"Not an editable field of a gateway configuration: {', '.join(unknown)}")
    # Admin hands over an instance its form has already changed: the old values are read
    # from the row, locked so that they are the ones this save overwrites.
    stored = GatewayConfiguration.objects.select_for_update().get(pk=configuration.pk)
    fields = {name: getattr(stored, name) for name in EDITABLE_FIELD_NAMES} | changes
    plan = gateway_configuration_plan(
        configuration=stored, fields=fields, values=values or {}, secrets_entered_again=secrets_entered_again
    )
    stored_public = _public_of(stored)
    for name, value in changes.items():
        setattr(configuration, name, value)
    storage.values_place(
        configuration=configuration, schema=plan.schema, public=plan.public, secrets=plan.secrets
    )
    # A replaced webhook secret keeps verifying for a grace window (webhooks/routing.py).
    rotated = webhook_secret_rotation(
        stored=stored, provider=fields["provider"], secrets=plan.secrets, cleared=bool(plan.cleared_secrets)
    )
    for name, value in rotated.items():
        setattr(configuration, name, value)
    _save(configuration, update_fields=[*changes, *STORED_VALUE_FIELDS, *rotated, "updated_at"])
    _audit_update(
        stored=stored,
        configuration=configuration,
        changed=list(changes),
        stored_public=stored_public,
        plan=plan,
    )
    logger.info(
        "Gateway configuration %s updated; fields: %s; secrets replaced: %s; secrets cleared: %s",
        configuration.pk,
        ", ".join(sorted(changes)) or "none",
        ", ".join(plan.typed_secrets) or "none",
        ", ".join(plan.cleared_secrets) or "none",
    )
    return configuration


def _public_of(configuration: GatewayConfiguration) -> dict[str, str]:
    return storage.public_values(configuration=configuration, schema=schema_for(configuration.provider))


def _stored_value(configuration: GatewayConfiguration, name: str) -> Any:
    """The column's value (a related row's id, not the row), as the audit log records it."""
    field = GatewayConfiguration._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column of the row, never a reverse relation
    return field.value_from_object(configuration)


def _audit_update(
    *,
    stored: GatewayConfiguration,
    configuration: GatewayConfiguration,
    changed: list[str],
    stored_public: dict[str, str],
    plan: ConfigurationPlan,
) -> None:
    changes: dict[str, Any] = {
        name: {"from": _stored_value(stored, name), "to": _stored_value(configuration, name)}
        for name in changed
        if _stored_value(stored, name) != _stored_value(configuration, name)
    }
    changes.update(
        {
            name: {"from": stored_public.get(name, ""), "to": value}
            for name, value in plan.public.items()
            if stored_public.get(name, "") != value
        }
    )
    changes.update(dict.fromkeys(sorted({*plan.typed_secrets, *plan.cleared_secrets}), SECRET_CHANGED))
    if changes:
        audit_entry_record(action=ACTION_UPDATE, target=configuration, changes=changes)
