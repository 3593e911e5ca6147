"""Database connections of Celery tasks kept as long as a web request's (CONN_MAX_AGE).

Celery's Django fixup closes every database connection before and after each task, so a
worker opened a new PostgreSQL connection (a new backend process, cold caches, statements
planned again) for every task: for the webhook inbox, whose relay looks every 50 ms and
hands each batch to a task of its own, that was a connection per task, many a second, and
a fifth of the worker's CPU per event (docs/webhooks.md, benchmark). Instead the fixup is
told to keep them (CELERY_DB_REUSE_MAX in settings/celery.py) and, before and after each
task, Django's own `close_old_connections` does what it does around every request: it
closes a connection that is older than CONN_MAX_AGE (0 outside production: every task, as
before), unusable after an error, or left outside autocommit.

Eager tasks (tests, a broker-less development run) are skipped, as the fixup skips them:
they run inside the caller's transaction, whose connection must not be closed.
"""

from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections


def task_connections_check(sender=None, **kwargs) -> None:
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    close_old_connections()


task_prerun.connect(task_connections_check, weak=False, dispatch_uid="skinspire-task-connections-prerun")
task_postrun.connect(task_connections_check, weak=False, dispatch_uid="skinspire-task-connections-postrun")
