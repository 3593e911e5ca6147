"""Celery. With REDIS_URL it uses Redis; without, a broker that needs no server."""

from pathlib import Path

from skinspire.settings.env import VAR_DIR, env

_redis_url = env("REDIS_URL", default="")
# Where the filesystem broker keeps its messages (a test runs its own site in a tmp folder).
_broker_dir = Path(env("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))

if _redis_url:
    CELERY_BROKER_URL = _redis_url
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    # kombu's filesystem transport: messages are files under var/, shared by the web
    # process and the worker on one machine. Good for development, not for scale.
    CELERY_BROKER_URL = "filesystem://"
    # The transport expects its folders to exist.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Kolkata"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# Celery's Django fixup would close every database connection around every task (a new
# PostgreSQL backend per task); with this many tasks between its closes it never does, and
# skinspire.core.task_connections closes them by CONN_MAX_AGE, as around a web request.
CELERY_DB_REUSE_MAX = 10**9
