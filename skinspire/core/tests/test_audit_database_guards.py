"""The database itself refuses to change, delete or truncate audit entries."""

import pytest
from django.db import DatabaseError, connection, transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import AuditEntry
from skinspire.core.tests.audit_helpers import check_deferred_constraints_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(staff_user):
    return audit_entry_record(action="a.b", actor=staff_user, message="as written")


def assert_untouched(entry):
    assert list(AuditEntry.objects.values_list("pk", "message", "entry_hash")) == [
        (entry.pk, "as written", entry.entry_hash)
    ]


def test_database_refuses_raw_update(entry):
    """A trigger on PostgreSQL and on SQLite."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET message = 'edited'")

    assert_untouched(entry)


@pytest.mark.parametrize("statement", ["DELETE FROM core_auditentry", "TRUNCATE core_auditentry"])
def test_database_refuses_raw_delete_and_truncate_on_postgresql(postgres_only, entry, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        check_deferred_constraints_now(cursor)
        cursor.execute(statement)

    assert_untouched(entry)


def test_truncating_a_referencing_table_with_cascade_is_refused_too(postgres_only, entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        check_deferred_constraints_now(cursor)
        cursor.execute("TRUNCATE core_hospital CASCADE")

    assert_untouched(entry)
