"""Runs and discrepancies keep to one hospital, enforced by the database (the review's rule:
tenancy of money rows is the database's to keep, not only Python's).

- a run's hospital is its configuration's; a discrepancy's hospital is its configuration's,
  and its first and last runs are runs of that configuration (so of that hospital too);
- a discrepancy linked to a payment (`linked_key`: patient_payment:<id>, patient_refund:<id>
  or payout:<id>, set by the resolutions) names an existing payment of its own hospital;
- a run's id, hospital and configuration, and a discrepancy's hospital and configuration,
  never change (no services update them). A configuration's own hospital never changes
  either (gateways migration 0012), so neither can a run's history move to another tenant.

PostgreSQL: discrepancies are checked by the statement triggers of migration 0009, rewritten
here. The insert pass that already takes the min and max ids of a COPY now also counts linked
rows; a run's COPY names one configuration, so its tenancy is one row read of the
configuration and one of the run (a statement naming several configurations is joined row by
row). The update statement trigger checks the rows whose runs change (min and max again, no
sort); a change of hospital or configuration, and a new link, are refused by row triggers on
UPDATE OF those columns, which the run's own update of its discrepancies never names (so it
pays nothing for them). Runs are inserted one at a time: a row trigger, which locks the
configuration as a foreign key would (FOR KEY SHARE).
CPU of the statement triggers' bodies (the backend's schedstat around them, 5 runs each) for
97,000 discrepancies: a COPY's insert trigger 21-28 ms as 0009 wrote it, 28-31 ms here (the
count of linked rows is 4-5 ms of that); one UPDATE moving them all to a later run 230-312 ms
before, 240-255 ms here.

SQLite (development): row triggers check the same rules one row at a time. Django rebuilds a
SQLite table when some later migrations alter it, dropping its triggers: a later migration of
these tables, or of gateways_gatewayconfiguration, must create them again (ledger 0005 does).
"""

import importlib

from django.db import migrations

from skinspire.core.database_rules import run_by_vendor

PREVIOUS = importlib.import_module(
    "skinspire.reconciliation.migrations.0009_discrepancy_references_checked_per_statement"
)

POSTGRESQL = [
    """
    CREATE FUNCTION reconciliation_run_tenancy() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        owner bigint;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'reconciliation: run #% refused: its id, hospital and configuration never change',
                OLD.id USING ERRCODE = 'check_violation';
        END IF;
        SELECT hospital_id INTO owner FROM gateways_gatewayconfiguration
         WHERE id = NEW.configuration_id FOR KEY SHARE;
        IF owner <> NEW.hospital_id THEN  -- a missing configuration is its foreign key's to refuse
            RAISE EXCEPTION 'reconciliation: a run names configuration #%, which belongs to another hospital',
                NEW.configuration_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER reconciliation_run_tenancy BEFORE INSERT ON reconciliation_reconciliationrun
        FOR EACH ROW EXECUTE FUNCTION reconciliation_run_tenancy()
    """,
    """
    CREATE TRIGGER reconciliation_run_fixed BEFORE UPDATE OF id, hospital_id, configuration_id
        ON reconciliation_reconciliationrun FOR EACH ROW
        WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.hospital_id IS DISTINCT FROM NEW.hospital_id
              OR OLD.configuration_id IS DISTINCT FROM NEW.configuration_id)
        EXECUTE FUNCTION reconciliation_run_tenancy()
    """,
    # The keys services/resolutions.py stores, each naming the table of its payment.
    """
    CREATE FUNCTION reconciliation_discrepancy_links(hospitals bigint[], keys text[]) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
        bad record;
    BEGIN
        SELECT link.key, coalesce(payment.hospital_id, refund.hospital_id, payout.hospital_id) AS owner
          INTO bad
          FROM unnest(hospitals, keys) AS link(hospital_id, key)
         CROSS JOIN LATERAL (
               SELECT split_part(link.key, ':', 1) AS kind,
                      CASE WHEN link.key ~ '^(patient_payment|patient_refund|payout):[1-9][0-9]{0,17}$' THEN split_part(link.key, ':', 2)::bigint END AS id
               ) AS named
          LEFT JOIN collections_patientpayment AS payment
                 ON named.kind = 'patient_payment' AND payment.id = named.id
          LEFT JOIN collections_patientrefund AS refund ON named.kind = 'patient_refund' AND refund.id = named.id
          LEFT JOIN payouts_supplierpayment AS payout ON named.kind = 'payout' AND payout.id = named.id
         WHERE coalesce(payment.hospital_id, refund.hospital_id, payout.hospital_id) IS DISTINCT FROM link.hospital_id
         LIMIT 1;
        IF bad.owner IS NOT NULL THEN
            RAISE EXCEPTION 'reconciliation: a discrepancy is linked to %, which belongs to another hospital',
                bad.key USING ERRCODE = 'check_violation';
        ELSIF FOUND THEN
            RAISE EXCEPTION 'reconciliation: a discrepancy is linked to %, which is no payment that exists',
                bad.key USING ERRCODE = 'check_violation';
        END IF;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION reconciliation_discrepancy_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        hospital_low bigint; hospital_high bigint;
        configuration_low bigint; configuration_high bigint;
        run_low bigint; run_high bigint; linked bigint;
        runs bigint[]; owner bigint; bad record;
    BEGIN
        SELECT min(hospital_id), max(hospital_id), min(configuration_id), max(configuration_id),
               least(min(first_run_id), min(last_run_id)), greatest(max(first_run_id), max(last_run_id)),
               count(*) FILTER (WHERE linked_key <> '')
            INTO hospital_low, hospital_high, configuration_low, configuration_high, run_low, run_high, linked
            FROM new_rows;
        IF hospital_low IS NULL THEN
            RETURN NULL;
        END IF;
        -- A run's COPY names one of each: the distinct ids are gathered only when they differ.
        PERFORM reconciliation_discrepancy_refer('core_hospital', CASE WHEN hospital_low = hospital_high
            THEN ARRAY[hospital_low] ELSE (SELECT array_agg(DISTINCT hospital_id) FROM new_rows) END, 'hospital');
        PERFORM reconciliation_discrepancy_refer('gateways_gatewayconfiguration', CASE WHEN configuration_low = configuration_high
            THEN ARRAY[configuration_low] ELSE (SELECT array_agg(DISTINCT configuration_id) FROM new_rows) END, 'configuration');
        runs := CASE WHEN run_low = run_high THEN ARRAY[run_low] ELSE (SELECT array_agg(DISTINCT id) FROM (
            SELECT first_run_id FROM new_rows UNION SELECT last_run_id FROM new_rows) AS runs(id)) END;
        PERFORM reconciliation_discrepancy_refer('reconciliation_reconciliationrun', runs, 'run');
        -- Tenancy. One configuration (a run's COPY): its hospital and its runs, read once.
        IF configuration_low = configuration_high THEN
            SELECT hospital_id INTO owner FROM gateways_gatewayconfiguration WHERE id = configuration_low;
            IF owner <> hospital_low OR owner <> hospital_high THEN
                RAISE EXCEPTION 'reconciliation: a discrepancy names configuration #%, which belongs to another hospital',
                    configuration_low USING ERRCODE = 'check_violation';
            END IF;
            SELECT id INTO bad FROM reconciliation_reconciliationrun
             WHERE id = ANY(runs) AND configuration_id <> configuration_low LIMIT 1;
        ELSE
            SELECT new_rows.configuration_id AS id INTO bad FROM new_rows
              JOIN gateways_gatewayconfiguration AS configuration ON configuration.id = new_rows.configuration_id
             WHERE configuration.hospital_id <> new_rows.hospital_id LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'reconciliation: a discrepancy names configuration #%, which belongs to another hospital',
                    bad.id USING ERRCODE = 'check_violation';
            END IF;
            SELECT run.id INTO bad FROM new_rows
              JOIN reconciliation_reconciliationrun AS run ON run.id IN (new_rows.first_run_id, new_rows.last_run_id)
             WHERE run.configuration_id <> new_rows.configuration_id LIMIT 1;
        END IF;
        IF FOUND THEN
            RAISE EXCEPTION 'reconciliation: a discrepancy names run #%, which belongs to another configuration',
                bad.id USING ERRCODE = 'check_violation';
        END IF;
        IF linked > 0 THEN  -- never in a run's COPY: links are made by resolutions, later
            PERFORM reconciliation_discrepancy_links(array_agg(hospital_id), array_agg(linked_key))
               FROM new_rows WHERE linked_key <> '';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION reconciliation_discrepancy_row_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.hospital_id IS DISTINCT FROM NEW.hospital_id OR OLD.configuration_id IS DISTINCT FROM NEW.configuration_id THEN
            RAISE EXCEPTION 'reconciliation: discrepancy #% refused: its hospital and configuration never change',
                OLD.id USING ERRCODE = 'check_violation';
        END IF;
        PERFORM reconciliation_discrepancy_links(ARRAY[NEW.hospital_id], ARRAY[NEW.linked_key]);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER reconciliation_discrepancy_fixed BEFORE UPDATE OF hospital_id, configuration_id
        ON reconciliation_discrepancy FOR EACH ROW
        WHEN (OLD.hospital_id IS DISTINCT FROM NEW.hospital_id OR OLD.configuration_id IS DISTINCT FROM NEW.configuration_id)
        EXECUTE FUNCTION reconciliation_discrepancy_row_updated()
    """,
    """
    CREATE TRIGGER reconciliation_discrepancy_link_changed BEFORE UPDATE OF linked_key
        ON reconciliation_discrepancy FOR EACH ROW
        WHEN (NEW.linked_key <> '' AND NEW.linked_key IS DISTINCT FROM OLD.linked_key)
        EXECUTE FUNCTION reconciliation_discrepancy_row_updated()
    """,
    """
    CREATE OR REPLACE FUNCTION reconciliation_discrepancy_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        first_low bigint; first_high bigint; last_low bigint; last_high bigint;
        run_low bigint; run_high bigint; runs bigint[];
        configuration_low bigint; configuration_high bigint; bad record;
    BEGIN
        -- One pass, no sort: the runs changed to as min and max (a run's update names one), and
        -- the configurations of all rows (which never change: reconciliation_discrepancy_fixed).
        -- Hospital, configuration and link are checked by row triggers on UPDATE OF those columns,
        -- which a run's update of its discrepancies does not name, so they cost it nothing.
        SELECT min(new_rows.first_run_id) FILTER (WHERE new_rows.first_run_id <> old_rows.first_run_id),
               max(new_rows.first_run_id) FILTER (WHERE new_rows.first_run_id <> old_rows.first_run_id),
               min(new_rows.last_run_id) FILTER (WHERE new_rows.last_run_id <> old_rows.last_run_id),
               max(new_rows.last_run_id) FILTER (WHERE new_rows.last_run_id <> old_rows.last_run_id),
               min(new_rows.configuration_id), max(new_rows.configuration_id)
            INTO first_low, first_high, last_low, last_high, configuration_low, configuration_high
            FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id;
        run_low := least(first_low, last_low);  -- least and greatest skip NULLs
        run_high := greatest(first_high, last_high);
        IF run_low IS NOT NULL THEN
            runs := CASE WHEN run_low = run_high THEN ARRAY[run_low] ELSE ARRAY(
                SELECT new_rows.first_run_id FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
                 WHERE new_rows.first_run_id <> old_rows.first_run_id
                UNION
                SELECT new_rows.last_run_id FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
                 WHERE new_rows.last_run_id <> old_rows.last_run_id) END;
            PERFORM reconciliation_discrepancy_refer('reconciliation_reconciliationrun', runs, 'run');
            IF configuration_low = configuration_high THEN  -- a run's update: one configuration
                SELECT id INTO bad FROM reconciliation_reconciliationrun
                 WHERE id = ANY(runs) AND configuration_id <> configuration_low LIMIT 1;
            ELSE
                SELECT run.id INTO bad FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
                  JOIN reconciliation_reconciliationrun AS run
                    ON (run.id = new_rows.first_run_id AND new_rows.first_run_id <> old_rows.first_run_id)
                    OR (run.id = new_rows.last_run_id AND new_rows.last_run_id <> old_rows.last_run_id)
                 WHERE run.configuration_id <> new_rows.configuration_id LIMIT 1;
            END IF;
            IF FOUND THEN
                RAISE EXCEPTION 'reconciliation: a discrepancy names run #%, which belongs to another configuration',
                    bad.id USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NULL;
    END $$
    """,
]


def _previous_function(name: str) -> str:
    """Migration 0009's text of the function `name`, to restore when this one is unapplied."""
    (block,) = [
        block for block in PREVIOUS.CHECKS.split("\n\n") if block.startswith(f"CREATE FUNCTION {name}()")
    ]
    return block.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


POSTGRESQL_REVERSE = [
    _previous_function("reconciliation_discrepancy_updated"),
    _previous_function("reconciliation_discrepancy_inserted"),
    "DROP TRIGGER reconciliation_discrepancy_link_changed ON reconciliation_discrepancy",
    "DROP TRIGGER reconciliation_discrepancy_fixed ON reconciliation_discrepancy",
    "DROP FUNCTION reconciliation_discrepancy_row_updated()",
    "DROP FUNCTION reconciliation_discrepancy_links(bigint[], text[])",
    "DROP TRIGGER reconciliation_run_fixed ON reconciliation_reconciliationrun",
    "DROP TRIGGER reconciliation_run_tenancy ON reconciliation_reconciliationrun",
    "DROP FUNCTION reconciliation_run_tenancy()",
]

# A missing configuration or run compares as NULL here: SQLite's foreign keys refuse it at the
# commit, if another check has not refused the row first.
SQLITE_RUNS_OF_ITS_CONFIGURATION = """
    SELECT RAISE(ABORT, 'reconciliation: a discrepancy names a run, which belongs to another configuration')
     WHERE EXISTS (SELECT 1 FROM reconciliation_reconciliationrun
                    WHERE id IN (NEW.first_run_id, NEW.last_run_id) AND configuration_id <> NEW.configuration_id);
"""
SQLITE_CONFIGURATION_OF_ITS_HOSPITAL = """
    SELECT RAISE(ABORT, 'reconciliation: a discrepancy names a configuration, which belongs to another hospital')
     WHERE (SELECT hospital_id FROM gateways_gatewayconfiguration WHERE id = NEW.configuration_id)
           <> NEW.hospital_id;
"""
# The id is read from the key, then the key compared whole: 'payout:07' names no payment.
SQLITE_LINKED_IN_ITS_HOSPITAL = """
    SELECT RAISE(ABORT, 'reconciliation: a discrepancy is linked to a payment that does not exist or belongs to another hospital')
     WHERE NOT EXISTS (
        SELECT 1 FROM collections_patientpayment
         WHERE id = CAST(substr(NEW.linked_key, 17) AS INTEGER) AND NEW.linked_key = 'patient_payment:' || id
           AND hospital_id = NEW.hospital_id
        UNION ALL
        SELECT 1 FROM collections_patientrefund
         WHERE id = CAST(substr(NEW.linked_key, 16) AS INTEGER) AND NEW.linked_key = 'patient_refund:' || id
           AND hospital_id = NEW.hospital_id
        UNION ALL
        SELECT 1 FROM payouts_supplierpayment
         WHERE id = CAST(substr(NEW.linked_key, 8) AS INTEGER) AND NEW.linked_key = 'payout:' || id
           AND hospital_id = NEW.hospital_id);
"""
SQLITE = [
    """
    CREATE TRIGGER reconciliation_run_tenancy BEFORE INSERT ON reconciliation_reconciliationrun BEGIN
        SELECT RAISE(ABORT, 'reconciliation: a run names a configuration, which belongs to another hospital')
         WHERE (SELECT hospital_id FROM gateways_gatewayconfiguration WHERE id = NEW.configuration_id)
               <> NEW.hospital_id;
    END
    """,
    """
    CREATE TRIGGER reconciliation_run_fixed BEFORE UPDATE OF id, hospital_id, configuration_id
        ON reconciliation_reconciliationrun WHEN OLD.id IS NOT NEW.id OR OLD.hospital_id IS NOT NEW.hospital_id
             OR OLD.configuration_id IS NOT NEW.configuration_id BEGIN
        SELECT RAISE(ABORT, 'reconciliation: a run''s id, hospital and configuration never change');
    END
    """,
    f"""
    CREATE TRIGGER reconciliation_discrepancy_tenancy BEFORE INSERT ON reconciliation_discrepancy BEGIN
        {SQLITE_CONFIGURATION_OF_ITS_HOSPITAL}
        {SQLITE_RUNS_OF_ITS_CONFIGURATION}
    END
    """,
    """
    CREATE TRIGGER reconciliation_discrepancy_fixed BEFORE UPDATE OF hospital_id, configuration_id
        ON reconciliation_discrepancy
        WHEN OLD.hospital_id IS NOT NEW.hospital_id OR OLD.configuration_id IS NOT NEW.configuration_id BEGIN
        SELECT RAISE(ABORT, 'reconciliation: a discrepancy''s hospital and configuration never change');
    END
    """,
    f"""
    CREATE TRIGGER reconciliation_discrepancy_runs_changed BEFORE UPDATE OF first_run_id, last_run_id
        ON reconciliation_discrepancy
        WHEN OLD.first_run_id IS NOT NEW.first_run_id OR OLD.last_run_id IS NOT NEW.last_run_id BEGIN
        {SQLITE_RUNS_OF_ITS_CONFIGURATION}
    END
    """,
    f"""
    CREATE TRIGGER reconciliation_discrepancy_linked BEFORE INSERT ON reconciliation_discrepancy
        WHEN NEW.linked_key <> '' BEGIN
        {SQLITE_LINKED_IN_ITS_HOSPITAL}
    END
    """,
    f"""
    CREATE TRIGGER reconciliation_discrepancy_link_changed BEFORE UPDATE OF linked_key ON reconciliation_discrepancy
        WHEN NEW.linked_key <> '' AND NEW.linked_key IS NOT OLD.linked_key BEGIN
        {SQLITE_LINKED_IN_ITS_HOSPITAL}
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER reconciliation_discrepancy_link_changed",
    "DROP TRIGGER reconciliation_discrepancy_linked",
    "DROP TRIGGER reconciliation_discrepancy_runs_changed",
    "DROP TRIGGER reconciliation_discrepancy_fixed",
    "DROP TRIGGER reconciliation_discrepancy_tenancy",
    "DROP TRIGGER reconciliation_run_fixed",
    "DROP TRIGGER reconciliation_run_tenancy",
]

# Any stored row that breaks the rules above (as adding a CHECK constraint would refuse).
BROKEN = """
SELECT 'run #' || run.id FROM reconciliation_reconciliationrun AS run
  JOIN gateways_gatewayconfiguration AS configuration ON configuration.id = run.configuration_id
 WHERE configuration.hospital_id <> run.hospital_id
UNION ALL
SELECT 'discrepancy #' || discrepancy.id FROM reconciliation_discrepancy AS discrepancy
  JOIN gateways_gatewayconfiguration AS configuration ON configuration.id = discrepancy.configuration_id
  JOIN reconciliation_reconciliationrun AS first_run ON first_run.id = discrepancy.first_run_id
  JOIN reconciliation_reconciliationrun AS last_run ON last_run.id = discrepancy.last_run_id
 WHERE configuration.hospital_id <> discrepancy.hospital_id
    OR first_run.configuration_id <> discrepancy.configuration_id
    OR last_run.configuration_id <> discrepancy.configuration_id
"""


def check_existing_rows(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BROKEN)
        broken = cursor.fetchone()
    if broken:
        raise RuntimeError(
            f"Reconciliation {broken[0]} names a configuration of another hospital or a run of another "
            "configuration; correct it before applying reconciliation migration 0010."
        )


WHAT = "Reconciliation's tenancy rules"


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0005_patient_refund"),
        ("payouts", "0003_supplier_payments"),
        ("reconciliation", "0009_discrepancy_references_checked_per_statement"),
    ]

    operations = [
        migrations.RunPython(check_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(
            run_by_vendor({"postgresql": POSTGRESQL, "sqlite": SQLITE}, what=WHAT),
            run_by_vendor({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}, what=WHAT),
        ),
    ]
