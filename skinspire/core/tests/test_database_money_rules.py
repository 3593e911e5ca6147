"""The builder of the money rows' triggers (skinspire.core.database_money_rules), on a table
of the test's own: first status, moves, fixed and set-once and growing columns, deletes.
PostgreSQL and SQLite (the suite runs on both)."""

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.database_money_rules import (
    MoneyRules,
    check_existing_rows,
    moves_of,
    postgresql,
    postgresql_reverse,
    replace,
    sqlite,
    sqlite_reverse,
)
from skinspire.core.tests.money_rows import path_to
from skinspire.core.tests.state_machine_app.models import TrialPayout

pytestmark = pytest.mark.django_db

RULES = MoneyRules(
    table="core_money_trial",
    label="core: trial",
    start=("queued",),
    moves=moves_of(TrialPayout.state_machine),
    fixed=("amount",),
    set_once=("fee",),
    never_down=("refunded",),
)


def statements(vendor: str) -> list[str]:
    return {"postgresql": postgresql, "sqlite": sqlite}[vendor](RULES)


@pytest.fixture
def table(db):
    """The trial table with the rules installed, inside the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE core_money_trial (id integer PRIMARY KEY, status varchar(20) NOT NULL, "
            "amount numeric(12, 2) NOT NULL, fee numeric(12, 2), refunded numeric(12, 2) NOT NULL DEFAULT 0, "
            "note varchar(20) NOT NULL DEFAULT '')"
        )
        for statement in statements(connection.vendor):
            cursor.execute(statement)
        cursor.execute("INSERT INTO core_money_trial (id, status, amount) VALUES (1, 'queued', 100)")
    return "core_money_trial"


def run(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(reason: str):
    """PostgreSQL names the row (#id), SQLite cannot."""
    return pytest.raises(IntegrityError, match=rf"core: trial (#\d+ )?refused: {reason}")


def status_of(row_id: int = 1) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM core_money_trial WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def test_moves_of_lists_every_allowed_move_sorted():
    assert moves_of(TrialPayout.state_machine) == (
        ("processed", "reversed"),
        ("processing", "failed"),
        ("processing", "processed"),
        ("queued", "cancelled"),
        ("queued", "failed"),
        ("queued", "processed"),
        ("queued", "processing"),
    )


def test_allowed_moves_and_the_same_status_pass(table):
    run("UPDATE core_money_trial SET status = 'queued', note = 'again' WHERE id = 1")
    run("UPDATE core_money_trial SET status = 'processing' WHERE id = 1")
    run("UPDATE core_money_trial SET status = 'processed' WHERE id = 1")
    run("UPDATE core_money_trial SET status = 'reversed' WHERE id = 1")

    assert status_of() == "reversed"


@pytest.mark.parametrize(
    ("path", "refused_move"),
    [
        ([], "reversed"),  # a skip the table does not list
        (["processing", "processed"], "processing"),  # backwards
        (["failed"], "processed"),  # out of a final state
        (["processing"], "queued"),
        (["processed"], "failed"),  # sideways
    ],
)
def test_other_moves_are_refused(table, path, refused_move):
    for status in path:
        run("UPDATE core_money_trial SET status = %s WHERE id = 1", [status])

    with refused("its status cannot make that move"):
        run("UPDATE core_money_trial SET status = %s WHERE id = 1", [refused_move])

    assert status_of() == (path[-1] if path else "queued")


def test_a_row_is_inserted_in_its_first_status_only(table):
    with refused("a row starts as queued"):
        run("INSERT INTO core_money_trial (id, status, amount) VALUES (2, 'processed', 5)")

    run("INSERT INTO core_money_trial (id, status, amount) VALUES (3, 'queued', 5)")
    assert status_of(3) == "queued"


def test_the_amount_never_changes(table):
    with refused("its amount never changes"):
        run("UPDATE core_money_trial SET amount = 101 WHERE id = 1")
    with refused("its amount never changes"):
        run("UPDATE core_money_trial SET amount = 101, status = 'processing' WHERE id = 1")

    run("UPDATE core_money_trial SET amount = 100, note = 'same amount' WHERE id = 1")


def test_a_set_once_column_is_written_once(table):
    run("UPDATE core_money_trial SET fee = 2.36 WHERE id = 1")
    run("UPDATE core_money_trial SET fee = 2.36, note = 'same fee' WHERE id = 1")

    for other in ("3.00", None):
        with refused("its fee, once set, never changes"):
            run("UPDATE core_money_trial SET fee = %s WHERE id = 1", [other])


def test_a_growing_column_never_goes_down(table):
    run("UPDATE core_money_trial SET refunded = 40 WHERE id = 1")
    run("UPDATE core_money_trial SET refunded = 100 WHERE id = 1")

    with refused("its refunded never goes down"):
        run("UPDATE core_money_trial SET refunded = 99 WHERE id = 1")


def test_a_row_is_never_deleted(table):
    with refused("a money row is never deleted"):
        run("DELETE FROM core_money_trial WHERE id = 1")

    assert status_of() == "queued"


def test_other_columns_change_freely(table):
    run("UPDATE core_money_trial SET note = 'anything' WHERE id = 1")


def test_the_reverse_removes_every_trigger(table):
    reverse = {"postgresql": postgresql_reverse, "sqlite": sqlite_reverse}[connection.vendor](RULES)
    for statement in reverse:
        run(statement)

    run("UPDATE core_money_trial SET status = 'reversed', amount = 1 WHERE id = 1")
    run("DELETE FROM core_money_trial WHERE id = 1")


def test_rows_already_stored_in_an_unknown_status_stop_the_migration(table):
    reverse = {"postgresql": postgresql_reverse, "sqlite": sqlite_reverse}[connection.vendor](RULES)
    for statement in reverse:
        run(statement)
    run("UPDATE core_money_trial SET status = 'lost' WHERE id = 1")

    with pytest.raises(RuntimeError, match=r"core: trial #1: its status 'lost' is not one of its table's; "):
        check_existing_rows((RULES,), connection, migration="core migration 9999")


def test_path_to_walks_allowed_moves_only():
    assert path_to(TrialPayout, "queued", "reversed") == ["processed", "reversed"]
    assert path_to(TrialPayout, "queued", "queued") == []
    with pytest.raises(ValueError, match="cannot go from 'failed' to 'processed'"):
        path_to(TrialPayout, "failed", "processed")


def test_replace_refuses_the_rules_of_another_table():
    other = MoneyRules(table="core_other_trial", label="core: other", start=("queued",), moves=RULES.moves)

    with pytest.raises(ValueError, match="not the same table's rules"):
        replace(RULES, other, app="core", migration="a trial migration")
