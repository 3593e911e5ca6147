"""A money row's life as database triggers: the status moves it may make, the money columns
that never change, and that it is never deleted. The SQL that migrations install.

The services already keep these rules (skinspire.core.transitions judges every status move
against the model's `state_machine`); the triggers keep them for every other writer too (a
raw UPDATE, a shell, a future bulk job). A table's rules are plain data (`MoneyRules`): a
migration carries its moves as literals, written out from the model's `state_machine` when
the migration was written (`moves_of`), never the live table, since a migration is frozen.
Tests compare each migration's literals with the model's current table, so a change of a
status table without a new migration fails a test.

Row triggers: an INSERT is checked for its status only, an UPDATE when it changes the
status or a money column (the trigger's WHEN: other updates cost nothing), a DELETE always
refused. SQLite's triggers hold each whole rule in their WHEN and RAISE(ABORT) with a fixed
message; PostgreSQL's UPDATE trigger calls a function that names the broken rule and the
move (a WHEN holding the moves cost more, prepared for every statement: postgresql()).

Migrations call these builders, so a change to the SQL they return changes what an old
migration installs on a new database: add a builder (or a parameter) rather than change one.
A later migration that adds a rule to a table already guarded swaps its triggers (`replace`).
"""

from dataclasses import dataclass

from skinspire.core.state_machine import StateMachine


@dataclass(frozen=True)
class MoneyRules:
    table: str
    label: str  # "payouts: supplier payment"
    start: tuple[str, ...]  # the statuses a row is inserted in
    moves: tuple[tuple[str, str], ...]  # (from, to): the status moves allowed
    fixed: tuple[str, ...] = ()  # columns never changed after insert
    set_once: tuple[str, ...] = ()  # NULL until written once, then never changed
    never_down: tuple[str, ...] = ()  # columns that only grow (money counted in, never out)
    refuse_delete: bool = True
    kind: str = "money"  # the triggers are named {table}_{kind}_{insert, update, delete}
    states: tuple[str, ...] = ()  # every status of the table; () = those in start and moves

    @property
    def name(self) -> str:
        return f"{self.table}_{self.kind}"

    @property
    def events(self) -> tuple[str, ...]:
        return (*(("insert",) if self.start else ()), "update", *(("delete",) if self.refuse_delete else ()))


def status_rules(
    table: str, label: str, *, states: tuple[str, ...], moves: tuple[tuple[str, str], ...]
) -> MoneyRules:
    """Only the status moves of a row that is not money (a run, an inbox event): any of its
    statuses at insert, no other column watched, deletes left to the application."""
    return MoneyRules(
        table=table, label=label, start=(), moves=moves, refuse_delete=False, kind="status", states=states
    )


def moves_of(machine: StateMachine) -> tuple[tuple[str, str], ...]:
    """A state machine's allowed moves as the literal pairs a migration carries (sorted)."""
    return tuple(sorted((state, target) for state, targets in machine.moves.items() for target in targets))


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _move_allowed(rules: MoneyRules) -> str:
    """True when OLD.status may become NEW.status: the same, or a move of the table. One IN
    list of "from>to" words: PostgreSQL makes it one array lookup (a CASE over the states
    cost 0.2 ms per UPDATE in a trigger's WHEN, prepared for every statement)."""
    if not rules.moves:
        return "(OLD.status = NEW.status)"
    words = _quoted(f"{state}>{target}" for state, target in rules.moves)
    return f"(OLD.status = NEW.status OR (OLD.status || '>' || NEW.status) IN ({words}))"


def _words(columns: tuple[str, ...]) -> str:
    names = [column.replace("_", " ") for column in columns]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _change(columns: tuple[str, ...]) -> str:
    return "changes" if len(columns) == 1 else "change"


def _update_rules(rules: MoneyRules, distinct: str) -> list[tuple[str, str]]:
    """(broken, reason) of an UPDATE; `distinct` is the vendor's IS DISTINCT FROM."""
    broken = []
    if rules.fixed:
        changed = " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in rules.fixed)
        broken.append((changed, f"its {_words(rules.fixed)} never {_change(rules.fixed)}"))
    if rules.set_once:
        changed = " OR ".join(
            f"(OLD.{column} IS NOT NULL AND OLD.{column} {distinct} NEW.{column})"
            for column in rules.set_once
        )
        broken.append((changed, f"its {_words(rules.set_once)}, once set, never {_change(rules.set_once)}"))
    for column in rules.never_down:
        broken.append((f"NEW.{column} < OLD.{column}", f"its {column.replace('_', ' ')} never goes down"))
    broken.append((f"NOT {_move_allowed(rules)}", "its status cannot make that move"))
    return broken


def _read(rules: MoneyRules) -> list[str]:
    return ["status", *rules.fixed, *rules.set_once, *rules.never_down]


def postgresql(rules: MoneyRules) -> list[str]:
    """The UPDATE trigger's WHEN only asks whether a column the rules read changed (cheap to
    prepare, and most updates of a money row change none); the function then judges the
    change. An INSERT's WHEN holds its whole rule: no call for a row in its first status."""
    start = f"NEW.status NOT IN ({_quoted(rules.start)})"
    update = _update_rules(rules, "IS DISTINCT FROM")
    reasons = "".join(f"\n                WHEN {broken} THEN '{reason}'" for broken, reason in update)
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _read(rules))
    triggers = {
        "insert": f"CREATE TRIGGER {rules.name}_insert BEFORE INSERT ON {rules.table} FOR EACH ROW "
        f"WHEN ({start}) EXECUTE FUNCTION {rules.name}_refuse()",
        "update": f"CREATE TRIGGER {rules.name}_update BEFORE UPDATE ON {rules.table} FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION {rules.name}_refuse()",
        "delete": f"CREATE TRIGGER {rules.name}_delete BEFORE DELETE ON {rules.table} FOR EACH ROW "
        f"EXECUTE FUNCTION {rules.name}_refuse()",
    }
    return [
        f"""
    CREATE FUNCTION {rules.name}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        reason text;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{rules.label} #% refused: a money row is never deleted', OLD.id
                USING ERRCODE = 'check_violation';
        ELSIF TG_OP = 'INSERT' THEN
            RAISE EXCEPTION '{rules.label} refused: a row starts as {" or ".join(rules.start)}, not %',
                NEW.status USING ERRCODE = 'check_violation';
        END IF;
        reason := CASE{reasons}
            END;
        IF reason IS NOT NULL THEN
            RAISE EXCEPTION '{rules.label} #% refused: % (status % -> %)', OLD.id, reason, OLD.status,
                NEW.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
        *(triggers[event] for event in rules.events),
    ]


def postgresql_reverse(rules: MoneyRules) -> list[str]:
    return [
        *(f"DROP TRIGGER {rules.name}_{event} ON {rules.table}" for event in reversed(rules.events)),
        f"DROP FUNCTION {rules.name}_refuse()",
    ]


def sqlite(rules: MoneyRules) -> list[str]:
    """SQLite's RAISE takes a literal message: one SELECT per rule, in the order PostgreSQL
    names them (the first broken one aborts)."""
    update = _update_rules(rules, "IS NOT")
    checks = "".join(
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: {reason}') WHERE {broken};"
        for broken, reason in update
    )
    triggers = {
        "insert": f"CREATE TRIGGER {rules.name}_insert BEFORE INSERT ON {rules.table}"
        f"\n        WHEN NEW.status NOT IN ({_quoted(rules.start)}) BEGIN"
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: a row starts as {' or '.join(rules.start)}');"
        f"\n    END",
        "update": f"CREATE TRIGGER {rules.name}_update BEFORE UPDATE OF {', '.join(_read(rules))} ON {rules.table}"
        f"\n        WHEN {' OR '.join(f'({broken})' for broken, _ in update)} BEGIN{checks}\n    END",
        "delete": f"CREATE TRIGGER {rules.name}_delete BEFORE DELETE ON {rules.table} BEGIN"
        f"\n        SELECT RAISE(ABORT, '{rules.label} refused: a money row is never deleted');\n    END",
    }
    return [triggers[event] for event in rules.events]


def sqlite_reverse(rules: MoneyRules) -> list[str]:
    return [f"DROP TRIGGER {rules.name}_{event}" for event in reversed(rules.events)]


def existing_rows_broken(rules: MoneyRules) -> str:
    """A query for a stored row no rule could have let in: (id, status). Only the status can
    be checked afterwards (which moves it made, and what the money columns were, is gone)."""
    states = sorted({*rules.states, *rules.start, *(state for move in rules.moves for state in move)})
    return f"SELECT id, status FROM {rules.table} WHERE status NOT IN ({_quoted(states)}) LIMIT 1"  # noqa: S608


def check_existing_rows(all_rules: tuple[MoneyRules, ...], connection, *, migration: str) -> None:
    with connection.cursor() as cursor:
        for rules in all_rules:
            cursor.execute(existing_rows_broken(rules))
            broken = cursor.fetchone()
            if broken:
                raise RuntimeError(
                    f"{rules.label} #{broken[0]}: its status {broken[1]!r} is not one of its table's; "
                    f"correct it before applying {migration}."
                )


def install(all_rules: tuple[MoneyRules, ...], *, app: str, migration: str):
    """RunPython's pair (forwards, backwards) installing the rules on PostgreSQL or SQLite."""
    from skinspire.core.database_rules import installer

    return installer(
        all_rules,
        build={"postgresql": postgresql, "sqlite": sqlite},
        build_reverse={"postgresql": postgresql_reverse, "sqlite": sqlite_reverse},
        check=check_existing_rows,
        what=f"The {app} money rules",
        migration=migration,
    )


def replace(old: MoneyRules, new: MoneyRules, *, app: str, migration: str):
    """RunPython's pair (forwards, backwards) changing one table's installed rules from `old`
    to `new` (a later migration adding a rule, e.g. a column that only grows): forwards,
    the stored rows are checked against `new`, then `old`'s triggers and function are
    dropped and `new`'s installed, in the migration's transaction; backwards, the reverse.
    The names stay the same, so whatever finds the triggers by name still does."""
    if old.name != new.name or old.table != new.table:
        raise ValueError(f"{old.name} and {new.name} are not the same table's rules.")
    from skinspire.core.database_rules import installer

    return installer(
        (new,),
        build={
            "postgresql": lambda rules: [*postgresql_reverse(old), *postgresql(rules)],
            "sqlite": lambda rules: [*sqlite_reverse(old), *sqlite(rules)],
        },
        build_reverse={
            "postgresql": lambda rules: [*postgresql_reverse(rules), *postgresql(old)],
            "sqlite": lambda rules: [*sqlite_reverse(rules), *sqlite(old)],
        },
        check=check_existing_rows,
        what=f"The {app} money rules",
        migration=migration,
    )
