"""SQLite: an item moved to another run must name a run that exists, as on insert.

0007's SQLite trigger checked inserts only, so a raw UPDATE could leave an item naming no
run (nothing in the code moves items, but the database keeps the rule, not the code).
PostgreSQL's statement trigger from 0007 already checks updates: nothing changes there.
"""

from django.db import migrations

SQLITE = """
CREATE TRIGGER reconciliation_item_update_names_a_run BEFORE UPDATE OF run_id ON reconciliation_reconciliationitem
WHEN NOT EXISTS (SELECT 1 FROM reconciliation_reconciliationrun WHERE id = NEW.run_id)
BEGIN SELECT RAISE(ABORT, 'reconciliation: an item names a run that does not exist'); END;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS reconciliation_item_update_names_a_run;", params=None)


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0014_run_scheduled_once")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
