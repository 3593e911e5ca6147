"""Each entry carries the previous entry's hash; each hospital has a chain of its own."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest

from skinspire.core.audit import audit_entry_record
from skinspire.core.audit.chain import GENESIS_HASH, chain_verify, entry_hash
from skinspire.core.models import AuditEntry
from skinspire.core.tests.factories import HospitalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_entries_of_a_hospital_link_by_hash_in_order(staff_user, hospital):
    entries = [audit_entry_record(action=f"step.{number}", actor=staff_user) for number in range(3)]

    stored = list(AuditEntry.objects.filter(chain=f"hospital:{hospital.pk}").order_by("sequence"))
    assert [entry.sequence for entry in stored] == [1, 2, 3]
    assert [entry.pk for entry in stored] == [entry.pk for entry in entries]
    assert stored[0].previous_hash == GENESIS_HASH == "0" * 64
    assert stored[1].previous_hash == stored[0].entry_hash
    assert stored[2].previous_hash == stored[1].entry_hash
    assert len({entry.entry_hash for entry in stored}) == 3


def test_the_hash_is_sha256_of_the_canonical_fields(staff_user, hospital):
    entry = audit_entry_record(
        action="thing.update", actor=staff_user, ip_address="198.51.100.4", message="m"
    )

    payload = {
        "action": "thing.update",
        "actor_id": staff_user.pk,
        "actor_username": staff_user.username,
        "chain": f"hospital:{hospital.pk}",
        "changes": {},
        "content_type_id": None,
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "hospital_id": hospital.pk,
        "ip_address": "198.51.100.4",
        "message": "m",
        "object_id": "",
        "object_repr": "",
        "previous_hash": GENESIS_HASH,
        "sequence": 1,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert entry.entry_hash == hashlib.sha256(canonical.encode()).hexdigest()


def test_a_stored_entry_hashes_the_same_after_the_database_round_trip(staff_user):
    """jsonb reorders keys and would turn 1e16 into an integer; the values are made JSON-safe."""
    changes = {
        "z": {"from": Decimal("1500.00"), "to": datetime.date(2026, 3, 31)},
        "a": {"from": 1e16, "to": {"ünïcode": ["€", 10**18, True, None]}},
    }
    entry = audit_entry_record(
        action="thing.update", actor=staff_user, changes=changes, ip_address="2001:DB8::1"
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert entry_hash(stored) == stored.entry_hash == entry.entry_hash
    assert stored.ip_address == "2001:db8::1"
    assert stored.changes["z"] == {"from": "1500.00", "to": "2026-03-31"}


def test_each_hospital_and_the_global_chain_count_from_one(staff_user, hospital):
    other = UserFactory(hospital=HospitalFactory())
    superuser = UserFactory(hospital=None, is_superuser=True)

    first = audit_entry_record(action="a.b", actor=staff_user)
    other_first = audit_entry_record(action="a.b", actor=other)
    global_first = audit_entry_record(action="a.b", actor=superuser)
    second = audit_entry_record(action="a.b", actor=staff_user)

    assert [(entry.chain, entry.sequence) for entry in (first, other_first, global_first, second)] == [
        (f"hospital:{hospital.pk}", 1),
        (f"hospital:{other.hospital_id}", 1),
        ("global", 1),
        (f"hospital:{hospital.pk}", 2),
    ]
    assert other_first.previous_hash == global_first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    report = chain_verify(f"hospital:{hospital.pk}")
    assert (report.entries, report.head_hash, report.broken) == (2, second.entry_hash, None)
