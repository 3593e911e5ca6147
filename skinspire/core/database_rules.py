"""Tenancy rules of money tables as database triggers: the SQL that migrations install.

A table's rules name the hospital-owned rows each of its rows points at (`Join`) and what
breaks them (`Rule`: a condition over `{row}` and the joined rows). PostgreSQL checks all the
rows of one INSERT in one query, over the statement's transition table (as the ledger does,
migration ledger/0005), and an UPDATE per row, only when it changes a column the rules read;
SQLite checks each row before it is written. Before installing them, the migration checks
the rows already there, as ledger/0005 checks the book.

Migrations call these builders, so a change to the SQL they return changes what an old
migration installs on a new database: add a builder (or a parameter) rather than change one.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Join:
    """A row this table's row names: `alias` is the joined `table`'s row with id `{row}.column`."""

    alias: str
    table: str
    column: str


@dataclass(frozen=True)
class Rule:
    reason: str  # "its supplier belongs to another hospital"
    broken: str  # SQL, true when the row breaks the rule; NULL counts as kept


@dataclass(frozen=True)
class TableRules:
    table: str
    label: str  # "payouts: supplier payment"
    fixed: tuple[str, ...]  # columns never changed after insert, besides the id
    fixed_words: str  # "hospital and supplier"
    joins: tuple[Join, ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.table}_tenancy"

    @property
    def never_change(self) -> str:
        listed = f"id, {self.fixed_words}" if " and " in self.fixed_words else f"id and {self.fixed_words}"
        return f"its {listed} never change"


def names(alias: str, table: str, column: str, noun: str, **owner: str) -> tuple[Join, list[Rule]]:
    """The join for a named row, and its rules: it exists (the foreign keys are only checked
    at commit, and a missing row could then be inserted in another hospital), and each of
    its columns equals the expression given for it, e.g. hospital_id="{row}.hospital_id"."""
    rules = [Rule(f"its {noun} does not exist", f"{{row}}.{column} IS NOT NULL AND {alias}.id IS NULL")]
    for their_column, expected in owner.items():
        whose = their_column.removesuffix("_id")
        rules.append(Rule(f"its {noun} belongs to another {whose}", f"{alias}.{their_column} <> {expected}"))
    return Join(alias, table, column), rules


def table_rules(table: str, label: str, fixed: tuple[str, ...], fixed_words: str, *named) -> TableRules:
    joins = tuple(join for join, _ in named)
    rules = tuple(rule for _, table_rules_ in named for rule in table_rules_)
    return TableRules(table, label, fixed, fixed_words, joins, rules)


def _joins(joins: tuple[Join, ...], row: str) -> str:
    return "".join(
        f"\n      LEFT JOIN {join.table} AS {join.alias} ON {join.alias}.id = {row}.{join.column}"
        for join in joins
    )


def _used(rules: TableRules, rule: Rule) -> tuple[Join, ...]:
    return tuple(join for join in rules.joins if re.search(rf"\b{join.alias}\.", rule.broken))


def _read(rules: TableRules) -> list[str]:
    """The columns the rules read: an UPDATE that changes none of them needs no check."""
    named = {column for rule in rules.rules for column in re.findall(r"\{row\}\.(\w+)", rule.broken)}
    return ["id", *sorted({*rules.fixed, *(join.column for join in rules.joins), *named})]


def _reasons(rules: TableRules) -> str:
    return "".join(
        f"\n                    WHEN {rule.broken.format(row='changed')} THEN '{rule.reason}'"
        for rule in rules.rules
    )


def _broken(rules: TableRules) -> str:
    return "\n            OR ".join(f"({rule.broken.format(row='changed')})" for rule in rules.rules)


def existing_rows_broken(rules: TableRules) -> str:
    """A query for the first row already stored that breaks the rules: (id, reason)."""
    return f"""
        SELECT changed.id,
               CASE{_reasons(rules)}
               END AS reason
          FROM {rules.table} AS changed{_joins(rules.joins, "changed")}
         WHERE {_broken(rules)}
         LIMIT 1"""  # noqa: S608 (the migrations' own constants)


def _check(rules: TableRules, source: str) -> str:
    return f"""
        SELECT changed.id,
               CASE{_reasons(rules)}
               END AS reason
          INTO bad
          FROM {source}{_joins(rules.joins, "changed")}
         WHERE {_broken(rules)}
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{rules.label} #% refused: %', bad.id, bad.reason
                USING ERRCODE = 'check_violation';
        END IF;"""  # noqa: S608 (the migrations' own constants)


def _function(name: str, body: str, returns: str) -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bad record;
    BEGIN{body}
        RETURN {returns};
    END $$
    """


def postgresql(rules: TableRules) -> list[str]:
    """An INSERT is checked once per statement, over its transition table (a bulk insert pays
    one query). An UPDATE is checked per row, and only for rows whose id, fixed columns or
    named rows change (the trigger's WHEN, evaluated without a function call): most updates
    of money rows change a status and cost nothing. A statement-level UPDATE trigger cost
    about 0.17 ms for every one-row UPDATE, whatever it changed (docs/payouts.md)."""
    statements = []
    if rules.rules:
        statements += [
            _function(rules.name, _check(rules, "changed"), "NULL"),
            f"CREATE TRIGGER {rules.name}_insert AFTER INSERT ON {rules.table} REFERENCING NEW TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {rules.name}()",
        ]
    moved = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in ("id", *rules.fixed))
    row = ", ".join(f"NEW.{column} AS {column}" for column in _read(rules))
    body = f"""
        IF {moved} THEN
            RAISE EXCEPTION '{rules.label} #% refused: {rules.never_change}', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;"""
    if rules.rules:
        body += _check(rules, f"(SELECT {row}) AS changed")
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _read(rules))
    return [
        *statements,
        _function(f"{rules.name}_row", body, "NEW"),
        f"CREATE TRIGGER {rules.name}_update BEFORE UPDATE ON {rules.table} FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION {rules.name}_row()",
    ]


def postgresql_reverse(rules: TableRules) -> list[str]:
    dropped = [f"DROP TRIGGER {rules.name}_update ON {rules.table}", f"DROP FUNCTION {rules.name}_row()"]
    if rules.rules:
        dropped += [f"DROP TRIGGER {rules.name}_insert ON {rules.table}", f"DROP FUNCTION {rules.name}()"]
    return dropped


def _sqlite_checks(rules: TableRules) -> str:
    return "".join(
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: {rule.reason}')"  # noqa: S608 (our constants)
        f"\n          FROM (SELECT 1){_joins(_used(rules, rule), 'NEW')}"
        f"\n         WHERE {rule.broken.format(row='NEW')};"
        for rule in rules.rules
    )


def sqlite(rules: TableRules) -> list[str]:
    """Row triggers: BEFORE INSERT, and BEFORE UPDATE of the columns the rules read."""
    read = _read(rules)
    moved = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in ("id", *rules.fixed))
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in read)
    statements = []
    if rules.rules:
        statements.append(
            f"CREATE TRIGGER {rules.name}_insert BEFORE INSERT ON {rules.table} BEGIN"
            f"{_sqlite_checks(rules)}\n    END"
        )
    statements.append(
        f"CREATE TRIGGER {rules.name}_update BEFORE UPDATE OF {', '.join(read)} ON {rules.table}"
        f"\n        WHEN {changed} BEGIN"
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: {rules.never_change}')"
        f"\n         WHERE {moved};{_sqlite_checks(rules)}\n    END"
    )
    return statements


def sqlite_reverse(rules: TableRules) -> list[str]:
    dropped = [f"DROP TRIGGER {rules.name}_update"]
    if rules.rules:
        dropped.append(f"DROP TRIGGER {rules.name}_insert")
    return dropped


def check_existing_rows(all_rules: tuple[TableRules, ...], connection, *, migration: str) -> None:
    """Like adding a CHECK constraint: refuse to start enforcing over rows that break the rules."""
    with connection.cursor() as cursor:
        for rules in all_rules:
            if not rules.rules:
                continue
            cursor.execute(existing_rows_broken(rules))
            broken = cursor.fetchone()
            if broken:
                raise RuntimeError(
                    f"{rules.label} #{broken[0]}: {broken[1]}; correct it before applying {migration}."
                )


def run_by_vendor(statements_by_vendor: dict[str, list[str]], *, what: str):
    """A RunPython operation executing the statements written for the database in use.

    Refuses any other database (NotImplementedError, on purpose, as ledger 0005 does): these
    rules are written for PostgreSQL and SQLite only, and a migration that silently installed
    none of them would leave a database without them."""

    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"{what} are not written for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            # No parameters: the function bodies use % placeholders of their own (RAISE).
            schema_editor.execute(statement, params=None)

    return operation


def installer(all_rules: tuple, *, build: dict, build_reverse: dict, check, what: str, migration: str):
    """RunPython's pair (forwards, backwards) for a builder's rules: forwards, `check` finds no
    stored row breaking them, then each table's statements from `build[vendor]`; backwards,
    `build_reverse[vendor]`'s, tables in reverse order. Shared by this module and
    database_money_rules."""
    forwards = run_by_vendor(
        {vendor: [s for rules in all_rules for s in make(rules)] for vendor, make in build.items()}, what=what
    )
    backwards = run_by_vendor(
        {
            vendor: [s for rules in reversed(all_rules) for s in make(rules)]
            for vendor, make in build_reverse.items()
        },
        what=what,
    )

    def checked_forwards(apps, schema_editor):
        check(all_rules, schema_editor.connection, migration=migration)
        forwards(apps, schema_editor)

    return checked_forwards, backwards


def install(all_rules: tuple[TableRules, ...], *, app: str, migration: str):
    """RunPython's pair (forwards, backwards) installing the rules on PostgreSQL or SQLite."""
    return installer(
        all_rules,
        build={"postgresql": postgresql, "sqlite": sqlite},
        build_reverse={"postgresql": postgresql_reverse, "sqlite": sqlite_reverse},
        check=check_existing_rows,
        what=f"The {app} database rules",
        migration=migration,
    )
