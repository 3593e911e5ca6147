"""The census of the database's money rules: its triggers and, on PostgreSQL, the functions
the migrations created (the triggers' and their helpers) and the money apps' CHECK, UNIQUE
and EXCLUDE constraints, one line each, compared with the lists committed beside this module (database_census_postgresql.txt, database_census_sqlite.txt).

The rules live in triggers that migrations create with raw SQL, which Django's model state does
not know: on SQLite, a later migration that rebuilds a table (many AlterFields, every
AddConstraint) drops that table's triggers without a word, and only the census would notice.
"""

import re
from pathlib import Path

LISTS = Path(__file__).parent

# The apps whose constraints carry money rules; triggers are counted wherever they are.
MONEY_APPS = ("collections", "core", "gateways", "ledger", "payouts", "reconciliation")

ADVICE_MISSING = {
    "sqlite": (
        "A trigger missing on SQLite is most likely one Django dropped when a migration rebuilt its "
        "table (an AlterField or AddConstraint): re-create it in the migration that rebuilt the table, "
        "as ledger 0005 does for 0002's ledger_journalentry_no_update."
    ),
    "postgresql": (
        "PostgreSQL keeps triggers across ALTER TABLE: look for the migration that dropped or disabled "
        "the rule (DROP ... CASCADE, a replaced function) and create it again there."
    ),
}
ADVICE_EXTRA = (
    "If a migration meant to add or change these rules, put the lines above in {list} (and remove "
    "the old line of a changed rule); docs/ledger.md, 'The census of the database's rules'."
)

POSTGRESQL_TRIGGERS = """
SELECT table_.relname, trigger.tgname, trigger.tgtype, trigger.tgenabled, function.proname,
       trigger.tgconstraint <> 0, trigger.tgdeferrable, trigger.tginitdeferred
  FROM pg_trigger AS trigger
  JOIN pg_class AS table_ ON table_.oid = trigger.tgrelid
  JOIN pg_namespace AS namespace ON namespace.oid = table_.relnamespace
  JOIN pg_proc AS function ON function.oid = trigger.tgfoid
 WHERE NOT trigger.tgisinternal AND namespace.nspname = current_schema()
"""
# Named constraints, and unique indexes that back none (UniqueConstraint with a condition).
POSTGRESQL_CONSTRAINTS = """
SELECT CASE constraint_.contype WHEN 'c' THEN 'check' WHEN 'u' THEN 'unique' ELSE 'exclude' END,
       table_.relname, constraint_.conname
  FROM pg_constraint AS constraint_
  JOIN pg_class AS table_ ON table_.oid = constraint_.conrelid
  JOIN pg_namespace AS namespace ON namespace.oid = table_.relnamespace
 WHERE constraint_.contype IN ('c', 'u', 'x') AND namespace.nspname = current_schema()
 UNION ALL
SELECT 'unique-index', table_.relname, index_.relname
  FROM pg_index AS pg_index_
  JOIN pg_class AS index_ ON index_.oid = pg_index_.indexrelid
  JOIN pg_class AS table_ ON table_.oid = pg_index_.indrelid
  JOIN pg_namespace AS namespace ON namespace.oid = table_.relnamespace
 WHERE pg_index_.indisunique AND NOT pg_index_.indisprimary AND namespace.nspname = current_schema()
   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index_.indexrelid)
"""
# "CREATE TRIGGER name [BEFORE|AFTER|INSTEAD OF] event [OF columns] ON table": BEFORE if none.
# The functions migrations created (not an extension's, such as pg_trgm's): the triggers' and the
# helpers they call (reconciliation_discrepancy_refer) or the application calls (core_audit_append).
POSTGRESQL_FUNCTIONS = """
SELECT 'function ' || function.proname || '(' || pg_get_function_identity_arguments(function.oid) || ')'
  FROM pg_proc AS function
  JOIN pg_namespace AS namespace ON namespace.oid = function.pronamespace
 WHERE namespace.nspname = current_schema()
   AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE objid = function.oid AND deptype = 'e')
"""
SQLITE_TRIGGER_EVENT = re.compile(
    r"\b(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|UPDATE|DELETE)\b(?:\s+OF\s+[\w\s,]+?)?\s+ON\b", re.I
)
EVENT_BITS = ((4, "insert"), (16, "update"), (8, "delete"), (32, "truncate"))


def _postgresql_event(tgtype: int) -> str:
    """pg_trigger.tgtype's bits (PostgreSQL's catalog/pg_trigger.h), in words."""
    timing = "instead of" if tgtype & 64 else "before" if tgtype & 2 else "after"
    events = [name for bit, name in EVENT_BITS if tgtype & bit]
    return f"{timing} {' '.join(events)} {'row' if tgtype & 1 else 'statement'}"


def _postgresql_trigger(table, name, tgtype, enabled, function, constraint, deferrable, deferred) -> str:
    line = f"trigger {table} {name} {_postgresql_event(tgtype)} {function}()"
    if constraint:
        deferral = (" deferrable" if deferrable else "") + (" initially-deferred" if deferred else "")
        line += f" constraint{deferral}"
    return line + (" DISABLED" if enabled == "D" else "")


def _money_table(table: str) -> bool:
    """A table of a money app, and not of a test-only app (core's state machine tests)."""
    from django.apps import apps

    test_only = {model._meta.db_table for model in apps.get_models() if ".tests." in model.__module__}
    return table.startswith(tuple(f"{app}_" for app in MONEY_APPS)) and table not in test_only


def _postgresql(cursor) -> set[str]:
    cursor.execute(POSTGRESQL_TRIGGERS)
    lines = {_postgresql_trigger(*row) for row in cursor.fetchall()}
    cursor.execute(POSTGRESQL_CONSTRAINTS)
    constraints = {f"{kind} {table} {name}" for kind, table, name in cursor.fetchall() if _money_table(table)}
    cursor.execute(POSTGRESQL_FUNCTIONS)
    return lines | constraints | {line for (line,) in cursor.fetchall()}


def _sqlite(cursor) -> set[str]:
    cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'")
    lines = set()
    for table, name, sql in cursor.fetchall():
        event = SQLITE_TRIGGER_EVENT.search(sql)
        when = f"{event.group(1) or 'before'} {event.group(2)}" if event else "(event not read)"
        lines.add(f"trigger {table} {name} {' '.join(when.lower().split())}")
    return lines


def census(connection) -> set[str]:
    """The database's rules, one line each, as the committed lists spell them."""
    with connection.cursor() as cursor:
        return _postgresql(cursor) if connection.vendor == "postgresql" else _sqlite(cursor)


def list_path(vendor: str) -> Path:
    return LISTS / f"database_census_{vendor}.txt"


def expected(vendor: str) -> set[str]:
    """The committed list: its lines without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in list_path(vendor).read_text().splitlines())
    return {" ".join(line.split()) for line in lines if line}


def differences(expected_lines: set[str], found_lines: set[str], vendor: str) -> str:
    """What a failing census says: each line missing or extra, and what to do about it."""
    missing, extra = sorted(expected_lines - found_lines), sorted(found_lines - expected_lines)
    report = []
    if missing:
        report += [f"Missing from the {vendor} database (listed in {list_path(vendor).name}):"]
        report += [f"  {line}" for line in missing] + [ADVICE_MISSING[vendor]]
    if extra:
        report += [f"In the {vendor} database but not in {list_path(vendor).name}:"]
        report += [f"  {line}" for line in extra] + [ADVICE_EXTRA.format(list=list_path(vendor).name)]
    return "\n".join(report)
