"""Appending to the audit log: `audit_entry_record`, the one writer every app calls."""

import ipaddress
import json
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from skinspire.core.audit import chain as audit_chain
from skinspire.core.audit import deferred
from skinspire.core.audit.context import current_ip, current_user
from skinspire.core.models import AuditEntry, Hospital
from skinspire.core.tenancy import tenant_fields

SECRET_CHANGED = "changed"  # what a secret's change records instead of its values
OBJECT_REPR_LENGTH = AuditEntry._meta.get_field("object_repr").max_length


def audit_entry_record(
    *,
    action: str,
    actor=None,
    target: Model | None = None,
    hospital: Hospital | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
    message: str = "",
) -> AuditEntry:
    """Append one entry to its hospital's chain, in the caller's transaction.

    `changes` is {field: {"from": old, "to": new}} or {field: "changed"} for a secret.
    `actor` and `ip_address` default to the current request's (AuditContextMiddleware);
    `hospital` to the target's, else the actor's.
    """
    if actor is None:
        actor = current_user()
    elif not actor.is_authenticated:  # AnonymousUser: no one to name
        actor = None
    hospital_id = _hospital_id(hospital, target, actor)
    entry = AuditEntry(
        created_at=timezone.now(),
        action=action,
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        hospital_id=hospital_id,
        changes=_checked_changes(changes or {}),
        ip_address=_normalized_ip(ip_address if ip_address is not None else current_ip()),
        message=message,
        **_target_fields(target),
    )
    entry.chain = audit_chain.chain_for(hospital_id)
    # Inside audited_atomic() the entry joins its chain at the end of the transaction (its
    # position and hash are set then); elsewhere, now.
    if not deferred.entry_queue(entry):
        entries_append([entry])
    return entry


def entries_append(entries: list[AuditEntry]) -> None:
    """Give each entry the next position of its chain and insert them all.

    In the caller's transaction when there is one, its own otherwise; the chains' locks are
    held until that transaction ends. No savepoint: an entry that cannot be written fails
    the change it records.
    """
    if not entries:
        return
    if connection.vendor == "postgresql":
        _append_in_postgresql(entries)
        return
    with transaction.atomic(savepoint=False):
        chains = sorted({entry.chain for entry in entries})
        # Always in the same order, so two transactions appending to the same chains
        # cannot deadlock on each other's locks.
        for chain in chains:
            audit_chain.lock_chain(chain)
        heads = {chain: audit_chain.chain_head(chain) for chain in chains}
        for entry in entries:
            last_sequence, entry.previous_hash = heads[entry.chain]
            entry.sequence = last_sequence + 1
            entry.entry_hash = audit_chain.entry_hash(entry)
            heads[entry.chain] = (entry.sequence, entry.entry_hash)
        AuditEntry.objects.bulk_create(entries)


def _append_in_postgresql(entries: list[AuditEntry]) -> None:
    """Lock, head, hash and insert in one round trip (core_audit_append), so the chain's
    lock is held for that call and the COMMIT only."""
    rows = []
    for entry in entries:
        prefix, middle, suffix = audit_chain.canonical_parts(entry)
        rows.append({
            "chain": entry.chain, "created_at": entry.created_at.isoformat(), "action": entry.action,
            "actor_id": entry.actor_id, "actor_username": entry.actor_username, "hospital_id": entry.hospital_id,
            "content_type_id": entry.content_type_id, "object_id": entry.object_id,
            "object_repr": entry.object_repr, "changes": entry.changes, "ip_address": entry.ip_address,
            "message": entry.message, "prefix": prefix, "middle": middle, "suffix": suffix,
        })  # fmt: skip
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_audit_append(%s::jsonb)", [json.dumps(rows)])
        appended = cursor.fetchall()
    for entry, (pk, sequence, previous_hash, hash_value) in zip(entries, appended, strict=True):
        entry.pk, entry.sequence, entry.previous_hash, entry.entry_hash = (
            pk,
            sequence,
            previous_hash,
            hash_value,
        )
        entry._state.adding, entry._state.db = False, connection.alias


def _hospital_id(hospital: Hospital | None, target: Model | None, actor) -> int | None:
    if hospital is not None:
        return hospital.pk
    target_hospital_id = _target_hospital_id(target) if target is not None else None
    if target_hospital_id is not None:
        return target_hospital_id
    return getattr(actor, "hospital_id", None)


def _target_hospital_id(target: Model) -> int | None:
    """Follows the model's tenancy path (core.tenancy), e.g. "hospital" or "payout__hospital"."""
    path, _ = tenant_fields(type(target))
    if path == "pk":
        return target.pk if isinstance(target, Hospital) else None
    *related, last = path.split("__")
    current: Model | None = target
    for name in related:
        current = getattr(current, name, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def _target_fields(target: Model | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": str(target.pk),
        "object_repr": str(target)[:OBJECT_REPR_LENGTH],
    }


def _checked_changes(changes: dict) -> dict:
    checked: dict[str, Any] = {}
    for field, change in changes.items():
        if change == SECRET_CHANGED:
            checked[str(field)] = SECRET_CHANGED
        elif isinstance(change, dict) and set(change) == {"from", "to"}:
            checked[str(field)] = {"from": json_safe(change["from"]), "to": json_safe(change["to"])}
        else:
            raise ValueError(f'Audit change of "{field}" must be {{"from": ..., "to": ...}} or "changed".')
    return checked


def json_safe(value: Any) -> Any:
    """Values that survive a JSON round trip unchanged, so the stored entry re-hashes the same.

    Decimal, dates, UUIDs and floats become strings (a float could come back as an int
    from PostgreSQL's jsonb); lists and dicts are converted item by item.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _normalized_ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
