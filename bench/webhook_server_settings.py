"""Settings for the webhook benchmark's gunicorn server (bench_webhooks.py starts it).

Production-like where it matters for the figures: DEBUG off, persistent database
connections, Celery on Redis (nothing runs eagerly), quiet logs. The URLconf adds one
bare view beside the project's, measured on the same server in the same run.
"""

from skinspire.settings.base import *  # noqa: F403
from skinspire.settings.env import env

DEBUG = False
SANDBOX_ENABLED = False  # as in production: the sandbox app is not installed
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "webhook_server_urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = env("BENCH_CELERY_QUEUE", default="bench-webhooks")
# The load comes from one address: the per-address limit is not what is measured.
GATEWAY_WEBHOOK_RATE_PER_MINUTE = 10**9
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
