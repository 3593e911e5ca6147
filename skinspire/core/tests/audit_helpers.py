"""Helpers shared by the audit log's tests."""

from contextlib import contextmanager

from django.core import serializers
from django.db import connection

from skinspire.core.models import AuditEntry


def audit_rows_text() -> str:
    """Every audit row serialized, as an export or a database dump would show it."""
    return serializers.serialize("json", AuditEntry.objects.order_by("pk"))


@contextmanager
def immutability_off():
    """Lets a test tamper with entries as someone with direct database access could.

    Inside the test's transaction, so the trigger is back when the test ends either way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            check_deferred_constraints_now(cursor)
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_immutable")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_immutable")


def check_deferred_constraints_now(cursor) -> None:
    """The test's own inserts leave deferred foreign-key checks pending, and PostgreSQL will
    not ALTER or TRUNCATE a table with pending checks; run them now, as a commit would."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
