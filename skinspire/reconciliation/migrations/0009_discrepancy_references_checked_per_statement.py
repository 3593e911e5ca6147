"""Discrepancies name their hospital, configuration and runs without foreign-key constraints on
PostgreSQL, checked per statement instead, as items name their run (migrations 0007, 0008).

PostgreSQL checks a foreign key one inserted row at a time, queued to the commit: the
~97,000 discrepancies of a million-payment first run, four keys each, cost 1.3 s of CPU at the
commit (scratch COPY of 97,000 rows: commit 1.34 s CPU with the keys, 0.05 s without). A
statement trigger checks a whole COPY at once: the ids it names (one hospital, configuration
and run in a run's COPY: a min and a max find that in one pass) must exist, and, as a foreign
key does, their rows are locked against deletion until the commit. An update is checked only
for the rows whose references it changes (as a foreign key: re-checking a row whose keys stay
would lock the run a resolution's discrepancy names, which a run's own `select_for_update`
would then wait on). Deleting a run, configuration or hospital that a discrepancy names is
refused by a statement trigger on each (Django's PROTECT refuses first, in the ORM). TRUNCATE,
which Django's test flush uses on PostgreSQL, fires neither. The index on configuration_id
goes too: the unique (configuration, fingerprint) index starts with it (0.08 s of CPU per run).

SQLite (development only) keeps its foreign keys: the change is to Django's state alone there.
A trigger could not stand in for them, since SQLite's triggers cannot wait for the commit and
Django's flush between `transaction=True` tests deletes hospitals before discrepancies.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "reconciliation_discrepancy"
# (column, referenced table, Django's name of the foreign key 0001 created)
REFERENCES = (
    ("hospital_id", "core_hospital", "reconciliation_discr_hospital_id_5ce65ee3_fk_core_hosp"),
    (
        "configuration_id",
        "gateways_gatewayconfiguration",
        "reconciliation_discr_configuration_id_7095081e_fk_gateways_",
    ),
    (
        "first_run_id",
        "reconciliation_reconciliationrun",
        "reconciliation_discr_first_run_id_db96654e_fk_reconcili",
    ),
    (
        "last_run_id",
        "reconciliation_reconciliationrun",
        "reconciliation_discr_last_run_id_041c1b79_fk_reconcili",
    ),
)
CONFIGURATION_INDEX = "reconciliation_discrepancy_configuration_id_7095081e"

CHECKS = """
CREATE FUNCTION reconciliation_discrepancy_refer(target regclass, named bigint[], what text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    found integer;
BEGIN
    -- A named id the table does not hold is not locked, so the count falls short.
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s WHERE id = ANY($1) FOR KEY SHARE) AS locked', target)
        INTO found USING named;
    IF found <> cardinality(named) THEN
        RAISE foreign_key_violation USING MESSAGE = format('reconciliation: a discrepancy names a %s that does not exist', what);
    END IF;
END $$;

CREATE FUNCTION reconciliation_discrepancy_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hospital_low bigint; hospital_high bigint;
    configuration_low bigint; configuration_high bigint;
    run_low bigint; run_high bigint;
BEGIN
    SELECT min(hospital_id), max(hospital_id), min(configuration_id), max(configuration_id),
           least(min(first_run_id), min(last_run_id)), greatest(max(first_run_id), max(last_run_id))
        INTO hospital_low, hospital_high, configuration_low, configuration_high, run_low, run_high
        FROM new_rows;
    IF hospital_low IS NULL THEN
        RETURN NULL;
    END IF;
    -- A run's COPY names one of each: the distinct ids are gathered only when they differ.
    PERFORM reconciliation_discrepancy_refer('core_hospital', CASE WHEN hospital_low = hospital_high
        THEN ARRAY[hospital_low] ELSE (SELECT array_agg(DISTINCT hospital_id) FROM new_rows) END, 'hospital');
    PERFORM reconciliation_discrepancy_refer('gateways_gatewayconfiguration', CASE WHEN configuration_low = configuration_high
        THEN ARRAY[configuration_low] ELSE (SELECT array_agg(DISTINCT configuration_id) FROM new_rows) END, 'configuration');
    PERFORM reconciliation_discrepancy_refer('reconciliation_reconciliationrun', CASE WHEN run_low = run_high
        THEN ARRAY[run_low] ELSE (SELECT array_agg(DISTINCT id) FROM (
            SELECT first_run_id FROM new_rows UNION SELECT last_run_id FROM new_rows) AS runs(id)) END, 'run');
    RETURN NULL;
END $$;

CREATE FUNCTION reconciliation_discrepancy_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hospitals bigint[]; configurations bigint[]; runs bigint[];
BEGIN
    SELECT array_agg(DISTINCT changed.hospital_id) FILTER (WHERE changed.hospital_id <> changed.old_hospital_id),
           array_agg(DISTINCT changed.configuration_id) FILTER (WHERE changed.configuration_id <> changed.old_configuration_id),
           array_agg(DISTINCT changed.first_run_id) FILTER (WHERE changed.first_run_id <> changed.old_first_run_id)
               || array_agg(DISTINCT changed.last_run_id) FILTER (WHERE changed.last_run_id <> changed.old_last_run_id)
        INTO hospitals, configurations, runs
        FROM (SELECT new_rows.*, old_rows.hospital_id AS old_hospital_id, old_rows.configuration_id AS old_configuration_id,
                     old_rows.first_run_id AS old_first_run_id, old_rows.last_run_id AS old_last_run_id
              FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id) AS changed;
    IF hospitals IS NOT NULL THEN
        PERFORM reconciliation_discrepancy_refer('core_hospital', hospitals, 'hospital');
    END IF;
    IF configurations IS NOT NULL THEN
        PERFORM reconciliation_discrepancy_refer('gateways_gatewayconfiguration', configurations, 'configuration');
    END IF;
    IF runs IS NOT NULL THEN
        PERFORM reconciliation_discrepancy_refer('reconciliation_reconciliationrun',
            ARRAY(SELECT DISTINCT unnest(runs)), 'run');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reconciliation_discrepancy_insert_refers AFTER INSERT ON reconciliation_discrepancy
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_discrepancy_inserted();
CREATE TRIGGER reconciliation_discrepancy_update_refers AFTER UPDATE ON reconciliation_discrepancy
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_discrepancy_updated();

CREATE FUNCTION reconciliation_run_not_named_by_discrepancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reconciliation_discrepancy WHERE first_run_id IN (SELECT id FROM old_rows))
        OR EXISTS (SELECT 1 FROM reconciliation_discrepancy WHERE last_run_id IN (SELECT id FROM old_rows)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'reconciliation: a run that discrepancies name cannot be deleted';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reconciliation_run_delete_not_named_by_discrepancies AFTER DELETE ON reconciliation_reconciliationrun
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_run_not_named_by_discrepancies();

CREATE FUNCTION reconciliation_configuration_not_named_by_discrepancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reconciliation_discrepancy WHERE configuration_id IN (SELECT id FROM old_rows)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'reconciliation: a configuration that discrepancies name cannot be deleted';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reconciliation_configuration_delete_not_named_by_discrepancies AFTER DELETE ON gateways_gatewayconfiguration
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_configuration_not_named_by_discrepancies();

CREATE FUNCTION reconciliation_hospital_not_named_by_discrepancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reconciliation_discrepancy WHERE hospital_id IN (SELECT id FROM old_rows)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'reconciliation: a hospital that discrepancies name cannot be deleted';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reconciliation_hospital_delete_not_named_by_discrepancies AFTER DELETE ON core_hospital
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_hospital_not_named_by_discrepancies();
"""
CHECKS_DROP = """
DROP TRIGGER IF EXISTS reconciliation_hospital_delete_not_named_by_discrepancies ON core_hospital;
DROP FUNCTION IF EXISTS reconciliation_hospital_not_named_by_discrepancies();
DROP TRIGGER IF EXISTS reconciliation_configuration_delete_not_named_by_discrepancies ON gateways_gatewayconfiguration;
DROP FUNCTION IF EXISTS reconciliation_configuration_not_named_by_discrepancies();
DROP TRIGGER IF EXISTS reconciliation_run_delete_not_named_by_discrepancies ON reconciliation_reconciliationrun;
DROP FUNCTION IF EXISTS reconciliation_run_not_named_by_discrepancies();
DROP TRIGGER IF EXISTS reconciliation_discrepancy_update_refers ON reconciliation_discrepancy;
DROP TRIGGER IF EXISTS reconciliation_discrepancy_insert_refers ON reconciliation_discrepancy;
DROP FUNCTION IF EXISTS reconciliation_discrepancy_updated();
DROP FUNCTION IF EXISTS reconciliation_discrepancy_inserted();
DROP FUNCTION IF EXISTS reconciliation_discrepancy_refer(regclass, bigint[], text);
"""


def checks_per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":  # SQLite keeps its foreign keys (above)
        return
    for _column, _table, constraint in REFERENCES:
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {constraint}")
    schema_editor.execute(f"DROP INDEX {CONFIGURATION_INDEX}")
    schema_editor.execute(CHECKS, params=None)


def foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CHECKS_DROP, params=None)
    schema_editor.execute(f"CREATE INDEX {CONFIGURATION_INDEX} ON {TABLE} (configuration_id)")
    for column, table, constraint in REFERENCES:
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {constraint} FOREIGN KEY ({column}) REFERENCES {table} (id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )


def _reference(to: str, related_name: str, *, db_index: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=db_index,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("gateways", "0001_initial"),
        ("reconciliation", "0008_items_run_check_in_one_pass"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="discrepancy", name="hospital", field=_reference("core.hospital", "+")
                ),
                migrations.AlterField(
                    model_name="discrepancy",
                    name="configuration",
                    field=_reference("gateways.gatewayconfiguration", "discrepancies", db_index=False),
                ),
                migrations.AlterField(
                    model_name="discrepancy",
                    name="first_run",
                    field=_reference("reconciliation.reconciliationrun", "+"),
                ),
                migrations.AlterField(
                    model_name="discrepancy",
                    name="last_run",
                    field=_reference("reconciliation.reconciliationrun", "discrepancies"),
                ),
            ],
            database_operations=[migrations.RunPython(checks_per_statement, foreign_keys)],
        )
    ]
