"""Celery tasks retry transient database errors, with exponential backoff.

Every task of the project is a `DatabaseRetryTask` (the Celery app's `task_cls`), so a
lifecycle step that meets a locked SQLite file or a PostgreSQL serialization failure runs
again later instead of crashing and leaving its payout `processing` for ever. Only errors
where the transaction was rolled back and the same work can simply be tried again count;
anything else still fails at once. Tasks are idempotent (CONVENTIONS.md), so a retry is safe.
"""

import sqlite3

from celery import Task
from celery.utils.time import get_exponential_backoff_interval
from django.db import DatabaseError

# SQLite: another connection holds the lock past the busy timeout ("database is locked"),
# or a table is locked within a shared cache. Primary result codes; extended ones
# (SQLITE_BUSY_SNAPSHOT, ...) carry them in the low byte.
SQLITE_TRANSIENT_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
# PostgreSQL: serialization_failure, deadlock_detected (the server rolled the transaction back).
POSTGRES_TRANSIENT_SQLSTATES = {"40001", "40P01"}


def is_transient_database_error(error: BaseException) -> bool:
    """Whether `error` (Django's wrapper or the driver's own) says "try again", precisely:
    by SQLite result code or PostgreSQL SQLSTATE, never by a loose message match."""
    for candidate in (error, error.__cause__):
        if isinstance(candidate, sqlite3.OperationalError):
            code = getattr(candidate, "sqlite_errorcode", None) or 0
            return code & 0xFF in SQLITE_TRANSIENT_CODES
        if getattr(candidate, "sqlstate", None) in POSTGRES_TRANSIENT_SQLSTATES:
            return True
    return False


class DatabaseRetryTask(Task):
    # Waits of up to 1, 2, 4 ... 60 s (full jitter, so two workers that collided do not
    # collide again): about five minutes in all before the error is let through.
    max_retries = 10
    retry_backoff = 1
    retry_backoff_max = 60
    retry_jitter = True

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except DatabaseError as error:
            if not is_transient_database_error(error):
                raise
            # self.request is the worker's request again here, with the real retry count.
            raise self.retry(
                exc=error, countdown=self.retry_countdown(retries=self.request.retries)
            ) from error

    def retry_countdown(self, *, retries: int) -> int:
        return get_exponential_backoff_interval(
            factor=self.retry_backoff,
            retries=retries,
            maximum=self.retry_backoff_max,
            full_jitter=self.retry_jitter,
        )
