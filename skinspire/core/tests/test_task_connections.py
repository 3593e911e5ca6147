"""A Celery task's database connection is kept between tasks for CONN_MAX_AGE, as between
web requests, and closed when it is older, as Django closes it around a request; an eager
task (run inside its caller's transaction) never closes it."""

import time
from types import SimpleNamespace

import pytest
from celery.signals import task_postrun, task_prerun
from django.db import connection

from skinspire.celery_app import app
from skinspire.core.task_connections import task_connections_check

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit, as in a worker between tasks


class Task:
    """What the signals' sender offers the check: the task, with its request."""

    def __init__(self, *, eager: bool):
        self.request = SimpleNamespace(is_eager=eager)


WORKER_TASK = Task(eager=False)
EAGER_TASK = Task(eager=True)


def connected_until(seconds_from_now: float):
    connection.ensure_connection()
    connection.close_at = time.monotonic() + seconds_from_now
    return connection.connection


def test_a_connection_younger_than_conn_max_age_is_kept_across_tasks():
    raw = connected_until(60)

    task_prerun.send(sender=WORKER_TASK, task_id="1", task=WORKER_TASK, args=(), kwargs={})
    task_postrun.send(sender=WORKER_TASK, task_id="1", task=WORKER_TASK, args=(), kwargs={}, retval=None)

    assert connection.connection is raw


def test_an_older_connection_is_closed_after_the_task(postgres_only):
    # PostgreSQL only: Django never closes the in-memory SQLite test database (a worker of
    # `make run` has a file, which it closes like this).
    connected_until(-1)

    task_postrun.send(sender=WORKER_TASK, task_id="1", task=WORKER_TASK, args=(), kwargs={}, retval=None)

    assert connection.connection is None


def test_an_eager_task_never_closes_its_callers_connection():
    raw = connected_until(-1)

    task_connections_check(sender=EAGER_TASK)

    assert connection.connection is raw


def test_celerys_fixup_is_told_to_leave_the_connections_to_django():
    # The fixup closes every connection once per 2 x this many task runs: in effect never.
    assert app.conf.get("CELERY_DB_REUSE_MAX") >= 10**9
