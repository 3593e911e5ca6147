"""Celery. With REDIS_URL it uses Redis; without, a broker that needs no server."""

from pathlib import Path

from skinspire.settings.env import VAR_DIR, env

_redis_url = env("REDIS_URL", default="")
# kombu polls a virtual transport's queue, sleeping this long whenever it gets nothing, and
# it gets nothing whenever the worker's prefetch slots are full: kombu's 1 s default held a
# busy worker (concurrency 2, prefetch 1) to about two tasks a second however short they were,
# so `make run` fell minutes behind its own webhooks (bench/soak_embedded.py). An idle poll
# is one listdir of the queue folder.
FILESYSTEM_BROKER_POLLING_SECONDS = 0.05
# kombu's filesystem transport with messages published whole (skinspire/core/file_broker.py).
FILESYSTEM_BROKER_TRANSPORT = "skinspire.core.file_broker:Transport"


def filesystem_broker_options(folder: Path) -> dict:
    """The filesystem transport's options for a broker kept in `folder` (created here: the
    transport expects its folders to exist)."""
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": FILESYSTEM_BROKER_POLLING_SECONDS,
    }


# Where the filesystem broker keeps its messages (a test runs its own site in a tmp folder).
_broker_dir = Path(env("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))

if _redis_url:
    CELERY_BROKER_URL = _redis_url
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    # kombu's filesystem transport: messages are files under var/, shared by the web
    # process and the worker on one machine. Good for development, not for scale.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = FILESYSTEM_BROKER_TRANSPORT
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(_broker_dir)

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
