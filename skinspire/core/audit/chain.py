"""The hash chain: what an entry's hash covers, how appends are serialized, how it is checked.

Each hospital has a chain of its own and entries of no hospital form the "global" chain
(docs/security.md, "Audit log"). Entry n of a chain stores the hash of entry n-1 and a
SHA-256 over its own fields and that previous hash, so changing, removing or reordering
any entry breaks every link after it.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from skinspire.core.locks import lock_name
from skinspire.core.models import AuditEntry

GENESIS_HASH = "0" * 64
GLOBAL_CHAIN = "global"


def chain_for(hospital_id: int | None) -> str:
    return GLOBAL_CHAIN if hospital_id is None else f"hospital:{hospital_id}"


def entry_payload(entry: AuditEntry) -> dict:
    """Every stored field except the entry's own hash and its database id."""
    return {
        "chain": entry.chain,
        "sequence": entry.sequence,
        "previous_hash": entry.previous_hash,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "hospital_id": entry.hospital_id,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "ip_address": entry.ip_address,
        "message": entry.message,
    }


def entry_hash(entry: AuditEntry) -> str:
    canonical = json.dumps(entry_payload(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def canonical_parts(entry: AuditEntry) -> tuple[str, str, str]:
    """The entry's canonical JSON cut where its previous hash and its position go:
    prefix + previous_hash + middle + str(sequence) + suffix is exactly the text that
    `entry_hash` hashes. PostgreSQL's core_audit_append joins them once it holds the
    chain's lock (core/migrations/0006_audit_append_function.py)."""
    payload = entry_payload(entry)
    keys = sorted(payload)
    # In key order "previous_hash" is followed by "sequence", the last key.
    assert keys[-2:] == ["previous_hash", "sequence"], keys
    before = "".join(f"{_canonical(key)}:{_canonical(payload[key])}," for key in keys[:-2])
    return "{" + before + '"previous_hash":"', '","sequence":', "}"


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def lock_chain(chain: str) -> None:
    """Serialize appends to one chain until the caller's transaction ends.

    A transaction-level advisory lock on PostgreSQL: a second writer waits here, then reads
    the head the first one committed. SQLite allows one writer at a time anyway; there the
    unique (chain, sequence) constraint refuses a fork outright.
    """
    lock_name(f"skinspire.audit:{chain}")


def chain_head(chain: str) -> tuple[int, str]:
    """(sequence, hash) of the chain's last entry; (0, GENESIS_HASH) for an empty chain."""
    head = AuditEntry.objects.filter(chain=chain).order_by("-sequence").values_list("sequence", "entry_hash")
    return head.first() or (0, GENESIS_HASH)


@dataclass(frozen=True)
class BrokenLink:
    entry: AuditEntry
    reason: str

    def describe(self) -> str:
        return f"audit entry #{self.entry.pk} ({self.entry.chain}, position {self.entry.sequence}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    chain: str
    entries: int
    head_hash: str
    broken: BrokenLink | None


def chain_verify(chain: str) -> ChainReport:
    """Walk one chain from its first entry; stop at the first broken link."""
    expected_sequence, expected_previous, count = 1, GENESIS_HASH, 0
    for entry in _entries(chain):
        reason = _link_problem(entry, expected_sequence, expected_previous)
        if reason:
            return ChainReport(chain, count, expected_previous, BrokenLink(entry, reason))
        expected_sequence, expected_previous, count = entry.sequence + 1, entry.entry_hash, count + 1
    return ChainReport(chain, count, expected_previous, None)


def _entries(chain: str) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(chain=chain).order_by("sequence").iterator(chunk_size=2000)


def _link_problem(entry: AuditEntry, expected_sequence: int, expected_previous: str) -> str:
    if entry.sequence != expected_sequence:
        return f"expected position {expected_sequence}: entries before it are missing"
    if entry.previous_hash != expected_previous:
        return "its previous-hash does not match the entry before it"
    if entry_hash(entry) != entry.entry_hash:
        return "its contents do not match its hash (the entry was changed)"
    return ""


def all_chains() -> list[str]:
    return list(AuditEntry.objects.order_by("chain").values_list("chain", flat=True).distinct())
