from django.db.backends.postgresql import base, operations

# As created by core's migration 0003_audit_log.
AUDIT_TABLE = "core_auditentry"
AUDIT_TRUNCATE_TRIGGER = "core_auditentry_no_truncate"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if AUDIT_TABLE not in tables:
            return statements
        table = self.quote_name(AUDIT_TABLE)
        trigger = self.quote_name(AUDIT_TRUNCATE_TRIGGER)
        return [
            f"ALTER TABLE {table} DISABLE TRIGGER {trigger};",
            *statements,
            f"ALTER TABLE {table} ENABLE TRIGGER {trigger};",
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
