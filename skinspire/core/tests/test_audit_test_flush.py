"""The suite's own flush (a TRUNCATE of every table) still empties the audit log between
`transaction=True` tests, and leaves the TRUNCATE guard in place (skinspire.core.testing_postgresql)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_the_guard_is_back_afterwards(postgres_only, staff_user):
    audit_entry_record(action="a.b", actor=staff_user)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEntry.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'core_auditentry_no_truncate' "
            "AND tgrelid = 'core_auditentry'::regclass"
        )
        assert cursor.fetchone() == ("O",)  # enabled ("origin" mode)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE core_auditentry")
