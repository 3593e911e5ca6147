"""Money rows in a given status for tests that need one without going through the services.

The database takes a money row only in its first status and then only along its status
table (payouts 0012, collections 0011). A test that wants, say, a captured payment inserts it
as pending and moves it there one allowed move at a time, as a real one would have gone.
"""

from collections import deque
from typing import Any, TypeVar

from django.db import models

from skinspire.core.transitions import state_machine_of

Row = TypeVar("Row", bound=models.Model)


def path_to(model: type[models.Model], start: str, target: str) -> list[str]:
    """The statuses after `start` on a shortest way to `target` along the table's moves."""
    machine = state_machine_of(model)
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for following in sorted(machine.allowed_moves(state)):
            if following not in came_from:
                came_from[following] = state
                queue.append(following)
    if target not in came_from:
        raise ValueError(f"{model._meta.label} cannot go from {start!r} to {target!r}.")
    path = []
    step: str | None = target
    while step is not None and step != start:
        path.append(step)
        step = came_from[step]
    return path[::-1]


def first_status(model: type[models.Model]) -> str:
    field: Any = model._meta.get_field("status")
    return field.default


def move_to(instance: Row, status: str) -> Row:
    """Moves a stored row to `status` by plain UPDATEs, one allowed move each."""
    model = type(instance)
    for step in path_to(model, getattr(instance, "status"), status):  # noqa: B009 (any money model)
        model._base_manager.filter(pk=instance.pk).update(status=step)
    setattr(instance, "status", status)  # noqa: B010
    return instance


def create_in(model: type[Row], *, status: str | None = None, **fields) -> Row:
    """`model.objects.create(**fields)` in its first status, then moved to `status`."""
    instance = model._default_manager.create(**fields, status=first_status(model))
    return move_to(instance, status) if status else instance


def rewind(model: type[models.Model], pk, **values) -> None:
    """`UPDATE ... SET values` with the money rules lifted for this one statement, for tests
    that stage a crash: "as if the answer had never been saved" puts a processing payment back
    to submitted, a move the database refuses from anyone else.

    PostgreSQL runs the statement as a replica (session_replication_role, which fires no
    ordinary trigger: a superuser's setting, which the test database's owner is), and
    restores the role at once; ALTER TABLE ... DISABLE TRIGGER would be refused while the
    test's transaction holds deferred checks. SQLite cannot disable a trigger, so it is
    dropped and created again from its stored SQL. Only for status and plain columns: no
    other rule (tenancy) is checked meanwhile."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                model._base_manager.filter(pk=pk).update(**values)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
        else:
            trigger = f"{model._meta.db_table}_money_update"
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger])
            (created,) = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {trigger}")
            model._base_manager.filter(pk=pk).update(**values)
            cursor.execute(created)


def assert_migration_carries_status_tables(migration, models_by_table: dict[str, type[models.Model]]) -> None:
    """A money-rules migration's literal moves and first status are each model's current ones:
    fails when a status table changed without a migration installing its new moves."""
    from skinspire.core.database_money_rules import moves_of

    assert set(models_by_table) == {rules.table for rules in migration.RULES}
    for rules in migration.RULES:
        model = models_by_table[rules.table]
        assert rules.moves == moves_of(state_machine_of(model)), f"{model._meta.label}: add a migration"
        assert rules.start == (first_status(model),), f"{model._meta.label}: add a migration"


def installed_money_triggers(app: str) -> set[str]:
    """The names of the money-rule triggers installed on the app's tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{app}_%_money_%"])
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{app}_%_money_%"]
            )
        return {name for (name,) in cursor.fetchall()}
