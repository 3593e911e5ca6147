"""Django's `flush`, able to empty the ledger on PostgreSQL when a superuser runs it.

The ledger refuses TRUNCATE (migration 0005), and Django's flush is a TRUNCATE on PostgreSQL,
so without this every `transaction=True` test would fail to clean up. Triggers do not fire
under `session_replication_role = replica`, which only a superuser may set (the same power
that could disable the triggers outright), so this grants nothing an application role lacks:
run as the application role, flush stops at the ledger's trigger as it should.
"""

from django.core.management.commands import flush
from django.db import connections

TRIGGERS_OFF = "SET LOCAL session_replication_role = replica"
TRIGGERS_ON = "SET LOCAL session_replication_role = DEFAULT"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql" or not _is_superuser(connection):
            return super().handle(**options)
        operations = connection.ops
        execute_sql_flush = operations.execute_sql_flush
        # Only the flush's own statements run without triggers, not the post_migrate handlers.
        operations.execute_sql_flush = lambda sql_list: execute_sql_flush(
            [TRIGGERS_OFF, *sql_list, TRIGGERS_ON]
        )
        try:
            return super().handle(**options)
        finally:
            del operations.execute_sql_flush


def _is_superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]
