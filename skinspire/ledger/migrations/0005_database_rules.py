"""The double-entry rules, enforced by the database and not only by the posting services.

PostgreSQL (production, CI):
- every entry has at least two lines and balances when its transaction commits: one deferred
  check per transaction, over all the entries the transaction inserted (ledger_commit_check);
- lines join an entry only in the transaction that inserted it: the entry records
  `pg_current_xact_id()` in `posting_xact`, a column the application never sets;
- a line's account belongs to its entry's hospital, and a reversal reverses an entry of the
  same hospital (statement-level triggers over transition tables: one query per INSERT);
- TRUNCATE of any ledger table is refused;
- an account's hospital, code and type never change, and an account with postings is never
  deleted (so no id can be re-pointed at another hospital's account).

SQLite (development) has no deferred triggers and no transaction ids; it checks what a row
trigger can: a line's entry exists, its account is in the entry's hospital, no line joins an
entry that already balances; reversals stay in their hospital; accounts keep their hospital,
code and type. docs/ledger.md has the full table.
"""

from django.db import migrations, models

TABLES = ("ledger_account", "ledger_journalentry", "ledger_journalline")

POSTGRESQL = [
    # Set by the inserting transaction; the entry trigger refuses any other value. Entries
    # posted before this migration keep NULL (no table rewrite), which no transaction matches.
    "ALTER TABLE ledger_journalentry ADD COLUMN posting_xact xid8",
    "ALTER TABLE ledger_journalentry ALTER COLUMN posting_xact SET DEFAULT pg_current_xact_id()",
    "CREATE INDEX ledger_entry_posting_xact ON ledger_journalentry (posting_xact)",
    # One row per transaction with journal inserts not yet checked; its deferred trigger checks
    # them all at commit, in one query. The row goes when checked, so inserts made after an
    # early check (SET CONSTRAINTS ... IMMEDIATE) add a row, and a check, again.
    """
    CREATE UNLOGGED TABLE ledger_commit_check (
        posting_xact xid8 PRIMARY KEY DEFAULT pg_current_xact_id()
            CHECK (posting_xact = pg_current_xact_id())
    )
    """,
    """
    CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql
    -- Bulk imports leave few distinct posting_xact values, and the planner would then scan the
    -- whole journal at every commit; the index finds just this transaction's entries.
    SET enable_seqscan = off AS $$
    DECLARE
        current_xact xid8 := pg_current_xact_id();
        bad record;
    BEGIN
        SELECT entry.id, totals.line_count, totals.debits, totals.credits INTO bad
          FROM ledger_journalentry AS entry
         CROSS JOIN LATERAL (
               SELECT count(*) AS line_count, coalesce(sum(debit), 0) AS debits,
                      coalesce(sum(credit), 0) AS credits
                 FROM ledger_journalline WHERE entry_id = entry.id) AS totals
         WHERE entry.posting_xact = current_xact
           AND (totals.line_count < 2 OR totals.debits <> totals.credits)
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger: journal entry #% does not balance: % line(s), debits %, credits %',
                bad.id, bad.line_count, bad.debits, bad.credits USING ERRCODE = 'check_violation';
        END IF;
        DELETE FROM ledger_commit_check WHERE posting_xact = current_xact;
        RETURN NULL;
    END $$
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_commit_check_balanced AFTER INSERT ON ledger_commit_check
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()
    """,
    """
    CREATE FUNCTION ledger_entries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        current_xact xid8 := pg_current_xact_id();
        bad record;
    BEGIN
        SELECT inserted.id, inserted.reverses_id,
               inserted.posting_xact IS DISTINCT FROM current_xact AS forged
          INTO bad
          FROM inserted
          LEFT JOIN ledger_journalentry AS reversed ON reversed.id = inserted.reverses_id
         WHERE inserted.posting_xact IS DISTINCT FROM current_xact
            OR (inserted.reverses_id IS NOT NULL
                AND (reversed.id IS NULL OR reversed.id = inserted.id
                     OR reversed.hospital_id <> inserted.hospital_id))
         LIMIT 1;
        IF bad.forged THEN
            RAISE EXCEPTION 'ledger: journal entry #% refused: posting_xact is set by the database',
                bad.id USING ERRCODE = 'check_violation';
        ELSIF FOUND THEN
            RAISE EXCEPTION 'ledger: journal entry #% refused: it reverses #%, not an entry of its hospital',
                bad.id, bad.reverses_id USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO ledger_commit_check DEFAULT VALUES ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_journalentry_rules AFTER INSERT ON ledger_journalentry
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_inserted()
    """,
    """
    CREATE FUNCTION ledger_lines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        current_xact xid8 := pg_current_xact_id();
        bad record;
    BEGIN
        SELECT inserted.entry_id,
               CASE WHEN entry.id IS NULL THEN 'insert the entry before its lines'
                    WHEN entry.posting_xact IS DISTINCT FROM current_xact
                        THEN 'the entry was posted by an earlier transaction; post a new entry'
                    WHEN account.id IS NULL THEN 'its account does not exist'
                    ELSE 'account #' || account.id || ' belongs to another hospital'
               END AS reason
          INTO bad
          FROM inserted
          LEFT JOIN ledger_journalentry AS entry ON entry.id = inserted.entry_id
          LEFT JOIN ledger_account AS account ON account.id = inserted.account_id
         WHERE entry.id IS NULL OR account.id IS NULL
            OR entry.posting_xact IS DISTINCT FROM current_xact
            OR account.hospital_id <> entry.hospital_id
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger: journal line for entry #% refused: %', bad.entry_id, bad.reason
                USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO ledger_commit_check DEFAULT VALUES ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_journalline_rules AFTER INSERT ON ledger_journalline
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_inserted()
    """,
    """
    CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'ledger: account #% refused: its hospital, code and type never change',
                OLD.id USING ERRCODE = 'check_violation';
        ELSIF EXISTS (SELECT 1 FROM ledger_journalline WHERE account_id = OLD.id) THEN
            RAISE EXCEPTION 'ledger: account #% carries postings and is never deleted', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END $$
    """,
    """
    CREATE TRIGGER ledger_account_fixed BEFORE UPDATE ON ledger_account FOR EACH ROW
        WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.hospital_id IS DISTINCT FROM NEW.hospital_id
              OR OLD.code IS DISTINCT FROM NEW.code OR OLD.type IS DISTINCT FROM NEW.type)
        EXECUTE FUNCTION ledger_account_guard()
    """,
    """
    CREATE TRIGGER ledger_account_kept BEFORE DELETE ON ledger_account FOR EACH ROW
        EXECUTE FUNCTION ledger_account_guard()
    """,
    """
    CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger: TRUNCATE on % refused: the ledger is never emptied', TG_TABLE_NAME;
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()"
        for table in TABLES
    ),
]

POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {table}_no_truncate ON {table}" for table in TABLES),
    "DROP FUNCTION ledger_refuse_truncate()",
    "DROP TRIGGER ledger_account_kept ON ledger_account",
    "DROP TRIGGER ledger_account_fixed ON ledger_account",
    "DROP FUNCTION ledger_account_guard()",
    "DROP TRIGGER ledger_journalline_rules ON ledger_journalline",
    "DROP FUNCTION ledger_lines_inserted()",
    "DROP TRIGGER ledger_journalentry_rules ON ledger_journalentry",
    "DROP FUNCTION ledger_entries_inserted()",
    "DROP TABLE ledger_commit_check",
    "DROP FUNCTION ledger_check_balanced()",
    "ALTER TABLE ledger_journalentry DROP COLUMN posting_xact",
]

# Amounts compared in whole paise: SQLite stores these decimals as floating point.
SQLITE = [
    """
    CREATE TRIGGER ledger_journalline_rules BEFORE INSERT ON ledger_journalline BEGIN
        SELECT RAISE(ABORT, 'ledger: journal line refused: insert the entry before its lines')
         WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = NEW.entry_id);
        SELECT RAISE(ABORT, 'ledger: journal line refused: its account belongs to another hospital')
         WHERE NOT EXISTS (
            SELECT 1 FROM ledger_account AS account, ledger_journalentry AS entry
             WHERE account.id = NEW.account_id AND entry.id = NEW.entry_id
               AND account.hospital_id = entry.hospital_id);
        SELECT RAISE(ABORT, 'ledger: journal line refused: the entry already balances; post a new entry')
         WHERE (SELECT count(*) >= 2 AND sum(round(debit * 100)) = sum(round(credit * 100))
                  FROM ledger_journalline WHERE entry_id = NEW.entry_id);
    END
    """,
    """
    CREATE TRIGGER ledger_journalentry_rules BEFORE INSERT ON ledger_journalentry
        WHEN NEW.reverses_id IS NOT NULL BEGIN
        SELECT RAISE(ABORT, 'ledger: journal entry refused: it reverses an entry of another hospital')
         WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry
                            WHERE id = NEW.reverses_id AND hospital_id = NEW.hospital_id);
    END
    """,
    """
    CREATE TRIGGER ledger_account_fixed BEFORE UPDATE ON ledger_account
        WHEN OLD.id IS NOT NEW.id OR OLD.hospital_id IS NOT NEW.hospital_id
             OR OLD.code IS NOT NEW.code OR OLD.type IS NOT NEW.type BEGIN
        SELECT RAISE(ABORT, 'ledger: account refused: its hospital, code and type never change');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER ledger_account_fixed",
    "DROP TRIGGER ledger_journalentry_rules",
    "DROP TRIGGER ledger_journalline_rules",
]
# Adding a CHECK constraint rebuilds the table on SQLite, which drops migration 0002's trigger.
SQLITE_IMMUTABLE_ENTRY = (
    "CREATE TRIGGER IF NOT EXISTS ledger_journalentry_no_update BEFORE UPDATE ON ledger_journalentry "
    "BEGIN SELECT RAISE(ABORT, 'ledger: UPDATE on ledger_journalentry refused: posted journal entries "
    "are immutable; post a reversing entry'); END;"
)


# Any entry with fewer than two lines, unequal sides or another hospital's account.
BROKEN_ENTRY = """
SELECT entry.id FROM ledger_journalentry AS entry
  LEFT JOIN ledger_journalline AS line ON line.entry_id = entry.id
  LEFT JOIN ledger_account AS account ON account.id = line.account_id
 GROUP BY entry.id, entry.hospital_id
HAVING count(line.id) < 2 OR sum(round(line.debit * 100)) <> sum(round(line.credit * 100))
    OR sum(CASE WHEN account.hospital_id = entry.hospital_id THEN 0 ELSE 1 END) > 0
 LIMIT 1
"""


def check_existing_book(apps, schema_editor):
    """Like adding a CHECK constraint: refuse to start enforcing over a book that breaks the rules."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BROKEN_ENTRY)
        broken = cursor.fetchone()
    if broken:
        raise RuntimeError(
            f"Journal entry #{broken[0]} is unbalanced, has fewer than two lines or uses another "
            "hospital's account; correct the book before applying ledger migration 0005."
        )


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"The ledger's database rules are not written for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            # No parameters: the function bodies use % placeholders of their own (RAISE).
            schema_editor.execute(statement, params=None)

    return operation


restore_immutable_entry = run({"postgresql": [], "sqlite": [SQLITE_IMMUTABLE_ENTRY]})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_accountant_permissions")]

    operations = [
        # Unapplying ends here, after RemoveConstraint has rebuilt the SQLite table again.
        migrations.RunPython(migrations.RunPython.noop, restore_immutable_entry),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.CheckConstraint(
                condition=models.Q(("type__in", ["asset", "liability", "equity", "income", "expense"])),
                name="ledger_account_type_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="journalentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source_type", ""), _negated=True),
                    models.Q(("source_id", ""), _negated=True),
                    models.Q(("event", ""), _negated=True),
                ),
                name="ledger_entry_names_source_and_event",
            ),
        ),
        migrations.RunPython(restore_immutable_entry, migrations.RunPython.noop),
        migrations.RunPython(check_existing_book, migrations.RunPython.noop),
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
