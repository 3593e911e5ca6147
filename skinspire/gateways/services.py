"""Writes of gateway configurations. Admin calls these; nothing writes credentials elsewhere.

Secrets arrive in a separate `secrets` dict holding only the fields someone typed, so an
untouched field keeps its stored value. Log lines name the fields that changed, never
their values; the audit log records plain fields' old and new values and a secret only
as "changed". Base URLs are checked, and a move to another provider, mode or host clears
the stored secrets (skinspire.gateways.destinations).
"""

import logging
from typing import Any

from django.db import IntegrityError, models, transaction

from skinspire.core.audit import SECRET_CHANGED, audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.models import Branch, Hospital
from skinspire.gateways.destinations import (
    gateway_configuration_destination_check,
    gateway_configuration_endpoints_check,
)
from skinspire.gateways.models import (
    PUBLIC_IDENTIFIER_NAMES,
    SECRET_FIELD_NAMES,
    GatewayConfiguration,
    Provider,
)

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
    "key_id",
    "merchant_id",
    "account_number",
)
MERCHANT_ID_IS_KEY_ID = frozenset({Provider.PAYTM})
ACTION_CREATE = "gateway_configuration.create"
ACTION_UPDATE = "gateway_configuration.update"
DEFAULT_CONFLICT_MESSAGE = (
    "Another active configuration is already the default for this hospital, branch and mode. "
    "Untick “default” here, or make the other one non-default first."
)


def _only_known(values: dict[str, Any], allowed: tuple[str, ...], kind: str) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"Not {kind} of a gateway configuration: {', '.join(unknown)}")


def _merchant_id(*, provider: str, key_id: str, merchant_id: str) -> str:
    """Paytm names a merchant by its MID everywhere, webhooks included: its merchant id is
    the key id unless one was given."""
    if provider in MERCHANT_ID_IS_KEY_ID and not merchant_id:
        return key_id
    return merchant_id


def _save(configuration: GatewayConfiguration, update_fields: list[str] | None = None) -> None:
    # The partial unique constraints are the real guard against two defaults (the form's
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
    key_id: str = "",
    merchant_id: str = "",
    account_number: str = "",
    secrets: dict[str, str] | None = None,
    created_by=None,
) -> GatewayConfiguration:
    secrets = {name: value for name, value in (secrets or {}).items() if value}
    _only_known(secrets, SECRET_FIELD_NAMES, "a secret")
    gateway_configuration_endpoints_check(
        provider=provider, mode=mode, base_url=base_url, payout_base_url=payout_base_url
    )
    configuration = GatewayConfiguration(
        hospital=hospital,
        branch=branch,
        name=name,
        provider=provider,
        mode=mode,
        is_active=is_active,
        is_default=is_default,
        priority=priority,
        base_url=base_url,
        payout_base_url=payout_base_url,
        capabilities=list(capabilities or []),
        key_id=key_id.strip(),
        merchant_id=_merchant_id(provider=provider, key_id=key_id.strip(), merchant_id=merchant_id.strip()),
        account_number=account_number.strip(),
        created_by=created_by,
        **secrets,
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
            **dict.fromkeys(sorted(secrets), SECRET_CHANGED),
        },
    )
    logger.info(
        "Gateway configuration %s created (%s, %s) for hospital %s; secrets set: %s",
        configuration.pk,
        provider,
        mode,
        hospital.pk,
        ", ".join(sorted(secrets)) or "none",
    )
    return configuration


@transaction.atomic
def gateway_configuration_update(
    *, configuration: GatewayConfiguration, changes: dict[str, Any], secrets: dict[str, str]
) -> GatewayConfiguration:
    """Apply `changes` (plain fields) and `secrets` (typed credentials; blank ones ignored).
    A change of provider, mode or host clears every stored secret not typed again."""
    _only_known(changes, EDITABLE_FIELD_NAMES, "an editable field")
    changes = _identifiers_completed(configuration, changes)
    secrets = {name: value for name, value in secrets.items() if value}
    _only_known(secrets, SECRET_FIELD_NAMES, "a secret")
    # Admin hands over an instance its form has already changed: the old values are read
    # from the row, locked so that they are the ones this save overwrites.
    stored = GatewayConfiguration.objects.without_secrets().select_for_update().get(pk=configuration.pk)
    cleared = gateway_configuration_destination_check(
        configuration=configuration, changes=changes, typed=secrets
    )
    for name, value in {**changes, **dict.fromkeys(cleared, ""), **secrets}.items():
        setattr(configuration, name, value)
    update_fields = [*changes, *cleared, *secrets]
    if update_fields:
        _save(configuration, update_fields=[*update_fields, "updated_at"])
    _audit_update(
        stored=stored, configuration=configuration, changed=list(changes), secrets=[*cleared, *secrets]
    )
    logger.info(
        "Gateway configuration %s updated; fields: %s; secrets replaced: %s; secrets cleared: %s",
        configuration.pk,
        ", ".join(sorted(changes)) or "none",
        ", ".join(sorted(secrets)) or "none",
        ", ".join(cleared) or "none",
    )
    return configuration


def _identifiers_completed(configuration: GatewayConfiguration, changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` with its identifiers stripped and a Paytm merchant id that follows the MID."""
    changes = {
        name: value.strip() if name in PUBLIC_IDENTIFIER_NAMES else value for name, value in changes.items()
    }
    provider = changes.get("provider", configuration.provider)
    if provider in MERCHANT_ID_IS_KEY_ID and "key_id" in changes and not changes.get("merchant_id"):
        changes["merchant_id"] = changes["key_id"]
    return changes


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
    secrets: list[str],
) -> None:
    changes: dict[str, Any] = {
        name: {"from": _stored_value(stored, name), "to": _stored_value(configuration, name)}
        for name in changed
        if _stored_value(stored, name) != _stored_value(configuration, name)
    }
    changes.update(dict.fromkeys(sorted(secrets), SECRET_CHANGED))
    if changes:
        audit_entry_record(action=ACTION_UPDATE, target=configuration, changes=changes)
