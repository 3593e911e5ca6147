"""Posted journal entries and lines are immutable in the database, not only in the ORM.

PostgreSQL (production, CI): a row trigger refuses UPDATE and DELETE on both tables.
TRUNCATE fires no row triggers, which is what Django's test flush uses there.

SQLite (development only): a trigger refuses UPDATE, but none refuses DELETE, because
Django's flush between `transaction=True` tests is a plain DELETE on SQLite and would be
refused. Deletion is still refused by the models (save/delete/queryset). See docs/ledger.md.
"""

from django.db import migrations

TABLES = ("ledger_journalentry", "ledger_journalline")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % refused: posted journal entries are immutable; post a reversing entry',
        TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_TRIGGER = (
    "CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();"
)
SQLITE_TRIGGER = (
    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
    "SELECT RAISE(ABORT, 'ledger: UPDATE on {table} refused: posted journal entries are immutable; "
    "post a reversing entry'); END;"
)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function body uses % placeholders of its own (RAISE).
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(POSTGRESQL_TRIGGER.format(table=table))
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(SQLITE_TRIGGER.format(table=table))
    else:
        raise NotImplementedError(f"The ledger's immutability triggers are not written for {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
