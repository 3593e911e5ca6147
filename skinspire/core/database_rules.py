"""Tenancy rules of money tables as database triggers: the SQL that migrations install.

A table's rules name the hospital-owned rows each of its rows points at (`Join`) and what
breaks them (`Rule`: a condition over `{row}` and the joined rows). PostgreSQL checks all the
rows of one INSERT or UPDATE in one query, over the statement's transition tables (as the
ledger does, migration ledger/0005); SQLite checks each row before it is written.

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


def postgresql(rules: TableRules) -> list[str]:
    """One function and two statement-level AFTER triggers (INSERT, UPDATE) per table."""
    changed_fixed = " OR ".join(
        f"changed.{column} IS DISTINCT FROM previous.{column}" for column in rules.fixed
    )
    statements = [
        f"""
    CREATE FUNCTION {rules.name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bad record;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            SELECT changed.id INTO bad
              FROM changed LEFT JOIN previous ON previous.id = changed.id
             WHERE previous.id IS NULL OR {changed_fixed}
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION '{rules.label} #% refused: {rules.never_change}',
                    bad.id USING ERRCODE = 'check_violation';
            END IF;
        END IF;"""  # noqa: S608 (the migrations' own constants)
    ]
    if rules.rules:
        reasons = "".join(
            f"\n                    WHEN {rule.broken.format(row='changed')} THEN '{rule.reason}'"
            for rule in rules.rules
        )
        broken = "\n            OR ".join(f"({rule.broken.format(row='changed')})" for rule in rules.rules)
        statements[0] += f"""
        SELECT changed.id,
               CASE{reasons}
               END AS reason
          INTO bad
          FROM changed{_joins(rules.joins, "changed")}
         WHERE {broken}
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{rules.label} #% refused: %', bad.id, bad.reason
                USING ERRCODE = 'check_violation';
        END IF;"""  # noqa: S608 (the migrations' own constants)
    statements[0] += """
        RETURN NULL;
    END $$
    """
    if rules.rules:
        statements.append(
            f"CREATE TRIGGER {rules.name}_insert AFTER INSERT ON {rules.table} REFERENCING NEW TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {rules.name}()"
        )
    statements.append(
        f"CREATE TRIGGER {rules.name}_update AFTER UPDATE ON {rules.table} "
        "REFERENCING OLD TABLE AS previous NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {rules.name}()"
    )
    return statements


def postgresql_reverse(rules: TableRules) -> list[str]:
    dropped = [f"DROP TRIGGER {rules.name}_update ON {rules.table}"]
    if rules.rules:
        dropped.append(f"DROP TRIGGER {rules.name}_insert ON {rules.table}")
    return [*dropped, f"DROP FUNCTION {rules.name}()"]


def _sqlite_checks(rules: TableRules) -> str:
    return "".join(
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: {rule.reason}')"  # noqa: S608 (our constants)
        f"\n          FROM (SELECT 1){_joins(_used(rules, rule), 'NEW')}"
        f"\n         WHERE {rule.broken.format(row='NEW')};"
        for rule in rules.rules
    )


def sqlite(rules: TableRules) -> list[str]:
    """Row triggers: BEFORE INSERT, and BEFORE UPDATE of the columns the rules read."""
    read = sorted({"id", *rules.fixed, *(join.column for join in rules.joins)})
    moved = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in ("id", *rules.fixed))
    statements = []
    if rules.rules:
        statements.append(
            f"CREATE TRIGGER {rules.name}_insert BEFORE INSERT ON {rules.table} BEGIN"
            f"{_sqlite_checks(rules)}\n    END"
        )
    statements.append(
        f"CREATE TRIGGER {rules.name}_update BEFORE UPDATE OF {', '.join(read)} ON {rules.table} BEGIN"
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: {rules.never_change}')"
        f"\n         WHERE {moved};{_sqlite_checks(rules)}\n    END"
    )
    return statements


def sqlite_reverse(rules: TableRules) -> list[str]:
    dropped = [f"DROP TRIGGER {rules.name}_update"]
    if rules.rules:
        dropped.append(f"DROP TRIGGER {rules.name}_insert")
    return dropped


def install(all_rules: tuple[TableRules, ...], *, app: str):
    """RunPython's pair (forwards, backwards) installing the rules on PostgreSQL or SQLite."""
    builders = {"postgresql": (postgresql, postgresql_reverse), "sqlite": (sqlite, sqlite_reverse)}

    def run(direction: int):
        def operation(apps, schema_editor):
            vendor = schema_editor.connection.vendor
            if vendor not in builders:
                raise NotImplementedError(f"The {app} database rules are not written for {vendor}.")
            ordered = all_rules if direction == 0 else tuple(reversed(all_rules))
            for rules in ordered:
                for statement in builders[vendor][direction](rules):
                    # No parameters: the function bodies use % placeholders of their own (RAISE).
                    schema_editor.execute(statement, params=None)

        return operation

    return run(0), run(1)
