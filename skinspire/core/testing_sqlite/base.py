from skinspire.core.embedded_sqlite import base

# The money rules' delete triggers (skinspire.core.database_money_rules names them so).
DELETE_TRIGGER_SUFFIX = "_money_delete"


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                [f"%{DELETE_TRIGGER_SUFFIX}"],
            )
            triggers = [(name, sql) for name, table, sql in cursor.fetchall() if table in tables]
        return [
            *(f"DROP TRIGGER {self.quote_name(name)}" for name, _ in triggers),
            *statements,
            *(sql for _, sql in triggers),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
