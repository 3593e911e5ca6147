"""Waiting, in a test, for what a worker thread or process does."""

import time

from django.db import OperationalError, connection


def wait_for(predicate, *, seconds: float, every: float = 0.05):
    """The first truthy value of `predicate()` within `seconds`, else None.

    On SQLite the test database is in memory, shared between this thread and an in-process
    worker's. A read while the worker writes fails at once with "database table is locked"
    (shared-cache locks do not wait for a busy timeout), so that answer means "not yet"."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "is locked" not in str(error):
                raise
            value = None
        if value:
            return value
        time.sleep(every)
    return None
