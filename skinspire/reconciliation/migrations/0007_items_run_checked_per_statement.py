"""Items name their run without a foreign-key constraint, checked per statement instead.

PostgreSQL checks a foreign key one inserted row at a time (a query per row, queued to the
commit): two million items of a million-row run cost 7 s of CPU there. A statement trigger
checks all the rows of one COPY at once (a join with the runs) and, as a foreign key does,
locks the runs they name against deletion until the commit; another refuses deleting a run
that still has items (Django's cascade deletes the items first, so the ORM is unaffected).
TRUNCATE, which Django's test flush uses on PostgreSQL, fires neither.

SQLite (development only) has no statement triggers: a row trigger refuses an item of no
run; deleting runs is left to the ORM's cascade (Django's flush between tests is a DELETE
there, which a refusal would break, as ledger/migrations/0002 explains).
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = """
CREATE FUNCTION reconciliation_item_names_a_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM reconciliation_reconciliationrun
        WHERE id IN (SELECT DISTINCT run_id FROM new_items) FOR KEY SHARE;
    IF EXISTS (
        SELECT 1 FROM new_items AS item WHERE NOT EXISTS (
            SELECT 1 FROM reconciliation_reconciliationrun AS run WHERE run.id = item.run_id
        )
    ) THEN
        RAISE foreign_key_violation USING MESSAGE = 'reconciliation: an item names a run that does not exist';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reconciliation_item_insert_names_a_run AFTER INSERT ON reconciliation_reconciliationitem
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_item_names_a_run();
CREATE TRIGGER reconciliation_item_update_names_a_run AFTER UPDATE ON reconciliation_reconciliationitem
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_item_names_a_run();

CREATE FUNCTION reconciliation_run_without_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_runs JOIN reconciliation_reconciliationitem AS item ON item.run_id = old_runs.id
    ) THEN
        RAISE foreign_key_violation USING MESSAGE = 'reconciliation: a run that still has items cannot be deleted';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reconciliation_run_delete_without_items AFTER DELETE ON reconciliation_reconciliationrun
    REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_run_without_items();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS reconciliation_run_delete_without_items ON reconciliation_reconciliationrun;
DROP FUNCTION IF EXISTS reconciliation_run_without_items();
DROP TRIGGER IF EXISTS reconciliation_item_update_names_a_run ON reconciliation_reconciliationitem;
DROP TRIGGER IF EXISTS reconciliation_item_insert_names_a_run ON reconciliation_reconciliationitem;
DROP FUNCTION IF EXISTS reconciliation_item_names_a_run();
"""
SQLITE = """
CREATE TRIGGER reconciliation_item_names_a_run BEFORE INSERT ON reconciliation_reconciliationitem
WHEN NOT EXISTS (SELECT 1 FROM reconciliation_reconciliationrun WHERE id = NEW.run_id)
BEGIN SELECT RAISE(ABORT, 'reconciliation: an item names a run that does not exist'); END;
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)
    else:
        raise NotImplementedError(f"The items' run checks are not written for {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS reconciliation_item_names_a_run;", params=None)


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0006_items_indexes_only_the_unique_one")]

    operations = [
        migrations.AlterField(
            model_name="reconciliationitem",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="reconciliation.reconciliationrun",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
