"""manage.py verify_audit_log walks every chain and names the first broken link."""

import pytest
from django.core.management import execute_from_command_line

from skinspire.core.audit import audit_entry_record
from skinspire.core.audit.chain import entry_hash
from skinspire.core.models import AuditEntry
from skinspire.core.tests.audit_helpers import immutability_off
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(staff_user):
    return [audit_entry_record(action=f"step.{number}", actor=staff_user) for number in range(1, 5)]


def run_verify(capsys) -> tuple[int, str, str]:
    """As `manage.py verify_audit_log` runs from a shell: its exit status and its output."""
    try:
        execute_from_command_line(["manage.py", "verify_audit_log"])
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)  # SystemExit(None) is a success
    output = capsys.readouterr()
    return status, output.out, output.err


def test_intact_chains_exit_zero_and_print_their_heads(entries, hospital, capsys):
    superuser = UserFactory(hospital=None, is_superuser=True)
    global_entry = audit_entry_record(action="a.b", actor=superuser)

    status, out, err = run_verify(capsys)

    assert status == 0
    assert err == ""
    assert out.splitlines() == [
        f"ok global: 1 entry, head {global_entry.entry_hash}",
        f"ok hospital:{hospital.pk}: 4 entries, head {entries[-1].entry_hash}",
        "Every audit chain verifies.",
    ]


def test_a_changed_entry_is_named_and_the_command_fails(entries, hospital, capsys):
    with immutability_off() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET message = 'nothing happened' WHERE id = %s", [entries[1].pk]
        )

    status, out, err = run_verify(capsys)

    assert status == 1
    assert err.splitlines()[0] == (
        f"BROKEN hospital:{hospital.pk}: audit entry #{entries[1].pk} (hospital:{hospital.pk}, position 2): "
        "its contents do not match its hash (the entry was changed)"
    )
    assert f"1 entry before it verifies; the chain is intact up to {entries[0].entry_hash}" in err
    assert "1 audit chain broken" in err
    assert out == ""


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link(entries, capsys):
    """Rewriting an entry and its own hash is not enough: the next entry still points at the old one."""
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.message = "nothing happened"
    with immutability_off() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET message = %s, entry_hash = %s WHERE id = %s",
            [forged.message, entry_hash(forged), forged.pk],
        )

    status, _, err = run_verify(capsys)

    assert status == 1
    assert f"audit entry #{entries[2].pk}" in err.splitlines()[0]
    assert err.splitlines()[0].endswith("position 3): its previous-hash does not match the entry before it")


def test_a_removed_entry_is_named_by_the_entry_after_the_gap(entries, capsys):
    with immutability_off() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])

    status, _, err = run_verify(capsys)

    assert status == 1
    assert err.splitlines()[0].endswith(
        f"audit entry #{entries[2].pk} (hospital:{entries[2].hospital_id}, position 3): "
        "expected position 2: entries before it are missing"
    )
