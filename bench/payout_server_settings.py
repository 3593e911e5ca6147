"""Settings for the payout benchmark's server and worker (bench_payouts.py starts both).

Production-like where it matters for the figures: DEBUG off, persistent database
connections, Celery on Redis (nothing eager), quiet logs. The sandbox is installed and served
by the same server, as in `make run`, and stands where Razorpay would.
"""

from skinspire.settings.base import *  # noqa: F403
from skinspire.settings.env import env

DEBUG = False
SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.sandbox"]  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = env("BENCH_CELERY_QUEUE", default="bench-payouts")
GATEWAY_ALLOW_PRIVATE_ADDRESSES = True
# No mail server here: the demo's receipts go nowhere instead of failing in the worker.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GATEWAY_BASE_URL_ALLOWLIST = [SANDBOX_BASE_URL]  # noqa: F405
# The payout throttle (10 a minute per user) stays as configured: the benchmark spreads its
# initiations over enough payments staff that none of them passes it.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
