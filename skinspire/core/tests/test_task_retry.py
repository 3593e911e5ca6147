"""Every task retries transient database errors (recognised by SQLite code or PostgreSQL
SQLSTATE) with exponential backoff, and lets every other error through at once."""

import sqlite3
from types import SimpleNamespace

import psycopg
import pytest
from django.db import IntegrityError, OperationalError
from django.db.utils import DatabaseErrorWrapper

from skinspire.celery_app import app
from skinspire.core.retry import DatabaseRetryTask, is_transient_database_error


def as_django_raises(driver, action):
    """What Django raises for `action`'s driver error: its own class, the driver's as cause."""
    try:
        with DatabaseErrorWrapper(SimpleNamespace(Database=driver, errors_occurred=False)):
            action()
    except Exception as error:  # noqa: BLE001 - the caller asserts on whatever it is
        return error
    raise AssertionError("the action raised nothing")


def locked_sqlite_error(tmp_path) -> OperationalError:
    """A real "database is locked": another connection holds the write lock, we do not wait."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE payout (status TEXT)")
    holder.execute("BEGIN IMMEDIATE")
    writer = sqlite3.connect(path, timeout=0)
    try:
        return as_django_raises(sqlite3, lambda: writer.execute("INSERT INTO payout VALUES ('processed')"))
    finally:
        writer.close()
        holder.close()


def missing_table_error(tmp_path) -> OperationalError:
    connection = sqlite3.connect(tmp_path / "empty.sqlite3")
    try:
        return as_django_raises(sqlite3, lambda: connection.execute("SELECT * FROM payout"))
    finally:
        connection.close()


def postgres_error(error_class) -> Exception:
    def fail():
        raise error_class("the server's message")

    return as_django_raises(psycopg, fail)


def test_sqlite_database_is_locked_is_transient(tmp_path):
    error = locked_sqlite_error(tmp_path)
    assert (type(error), str(error)) == (OperationalError, "database is locked")
    assert is_transient_database_error(error) is True
    assert is_transient_database_error(error.__cause__) is True


def test_postgres_serialization_failure_and_deadlock_are_transient():
    serialization, deadlock = (
        postgres_error(psycopg.errors.SerializationFailure),
        postgres_error(psycopg.errors.DeadlockDetected),
    )
    assert (type(serialization), type(deadlock)) == (OperationalError, OperationalError)
    assert is_transient_database_error(serialization) is True
    assert is_transient_database_error(deadlock) is True


def test_other_database_errors_are_not_transient(tmp_path):
    missing_table = missing_table_error(tmp_path)
    duplicate = postgres_error(psycopg.errors.UniqueViolation)
    lock_not_available = postgres_error(psycopg.errors.LockNotAvailable)  # NOWAIT: the caller's choice
    assert str(missing_table) == "no such table: payout"
    assert type(duplicate) is IntegrityError
    assert [
        is_transient_database_error(error) for error in (missing_table, duplicate, lock_not_available)
    ] == [
        False,
        False,
        False,
    ]
    assert is_transient_database_error(OperationalError("database is locked")) is False  # no driver cause


attempts: dict[str, int] = {}
planned_errors: dict[str, list[Exception]] = {}


@app.task(name="skinspire.core.tests.test_task_retry.write_step")
def write_step(plan: str) -> int:
    """A step that fails with the plan's errors, one per attempt, then succeeds."""
    attempts[plan] = attempts.get(plan, 0) + 1
    if planned_errors[plan]:
        raise planned_errors[plan].pop(0)
    return attempts[plan]


@pytest.fixture(autouse=True)
def eager_retries(monkeypatch):
    """Eager tasks retry in place only when errors are not propagated to the caller (they
    come back in the result instead); the test settings propagate them."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def run_plan(name: str, errors: list[Exception]):
    attempts.pop(name, None)
    planned_errors[name] = list(errors)
    return write_step.apply(args=[name])


def test_a_step_that_meets_locked_databases_is_retried_until_it_succeeds(tmp_path):
    locked = locked_sqlite_error(tmp_path)
    result = run_plan("locked-twice", [locked, postgres_error(psycopg.errors.SerializationFailure)])
    assert (result.get(), attempts["locked-twice"]) == (3, 3)


def test_other_errors_are_not_retried(tmp_path):
    for name, error in [("missing", missing_table_error(tmp_path)), ("dupe", IntegrityError("dupe"))]:
        with pytest.raises(type(error)) as raised:
            run_plan(name, [error]).get()
        assert (raised.value, attempts[name]) == (error, 1)


def test_retries_stop_after_max_retries_with_the_database_error(tmp_path):
    locked = locked_sqlite_error(tmp_path)
    with pytest.raises(OperationalError, match="^database is locked$"):
        run_plan("always-locked", [locked] * 20).get()
    assert attempts["always-locked"] == DatabaseRetryTask.max_retries + 1 == 11


def test_backoff_doubles_from_one_second_up_to_a_minute_with_full_jitter():
    task = DatabaseRetryTask()
    samples = {retries: {task.retry_countdown(retries=retries) for _ in range(400)} for retries in range(9)}
    assert samples[0] == {0, 1}
    assert samples[1] == {0, 1, 2}
    assert max(samples[3]) <= 8 and len(samples[3]) > 5
    assert all(0 <= countdown <= 60 for countdown in samples[6] | samples[8])


def test_every_project_task_retries_database_errors():
    app.loader.import_default_modules()
    project_tasks = {name: task for name, task in app.tasks.items() if name.startswith("skinspire.")}
    assert {
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payout_advance",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_refund_process",
        "skinspire.sandbox.paytm.tasks.sandbox_paytm_payout_advance",
        "skinspire.sandbox.paytm.tasks.sandbox_paytm_refund_advance",
        "skinspire.sandbox.tasks.sandbox_webhook_send",
    } <= set(project_tasks)
    assert [name for name, task in project_tasks.items() if not isinstance(task, DatabaseRetryTask)] == []
