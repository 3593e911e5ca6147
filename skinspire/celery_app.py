import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.local")

# Every task retries transient database errors (locked SQLite, serialization failures).
app = Celery("skinspire", task_cls="skinspire.core.retry:DatabaseRetryTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks keep their database connections for CONN_MAX_AGE, as requests do.
import skinspire.core.task_connections  # noqa: E402, F401
