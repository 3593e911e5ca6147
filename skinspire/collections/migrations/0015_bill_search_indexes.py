"""Indexes for the workspace's bills search: parts of a bill number or of a patient's name,
and a patient's number (UHID) in any case (skinspire.collections.selectors.bill_lookup).

Django's `icontains` is `UPPER(column) LIKE UPPER(pattern)` on PostgreSQL, so the trigram
indexes (pg_trgm, GIN) are of UPPER(column): an index of the column itself would serve ILIKE,
which Django does not write. pg_trgm is a trusted extension (PostgreSQL 13 on), so the
database's owner creates it; the extension and its indexes are PostgreSQL only, kept out of
the models' state: SQLite rebuilds a table from that state when a later migration alters it,
and would fail on a GIN index. There, and so in development, the search reads the bills.

Plain CREATE INDEX in the migration's transaction, as 0012: bills and patients wait for the
build (this migration took 16.5 s on a year's 7.3M bills and a million patients, on a shared
two-core machine, 1 December 2026; bench/big_lists/README.md).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper

# Written out, not GinIndex(OpClass(Upper(...))): Django puts an operator class after an
# expression's parentheses only when django.contrib.postgres is an installed app, which this
# project does not need otherwise.
TRIGRAM_INDEXES = {
    "collections_bill_number_trgm": ("collections_bill", "number"),
    "collections_patient_name_trgm": ("collections_patient", "name"),
}


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """Created going forwards (Django's operation skips other databases then), and left in
    place going backwards: other apps' indexes use it too (payouts 0015), and dropping it
    would fail on them, or drop them."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" USING gin ((UPPER("{column}")) gin_trgm_ops)'
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX "{name}"')


class Migration(migrations.Migration):
    dependencies = [("collections", "0014_link_payments_share_their_order")]

    operations = [
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(Upper("patient_number"), name="patient_number_upper"),
        ),
        TrigramExtensionOnPostgreSQL(),
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop),
    ]
