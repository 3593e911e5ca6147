"""The test suite. DATABASE_URL / REDIS_URL come from the environment (CI sets both)."""

import uuid

from skinspire.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "sandbox.testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SANDBOX_ENABLED = True
SANDBOX_BASE_URL = "http://sandbox.testserver/sandbox"
SANDBOX_STEP_SECONDS = 0
GATEWAY_INPROCESS_PREFIXES = ["http://sandbox.testserver/"]
CELERY_TASK_ALWAYS_EAGER = True
MIDDLEWARE = [entry for entry in MIDDLEWARE if "whitenoise" not in entry]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A queue of this run's own: another test run or a `make run` worker on the same machine
# (same Redis database or same broker folder) never takes this run's messages.
CELERY_TASK_DEFAULT_QUEUE = f"skinspire-test-{uuid.uuid4().hex[:12]}"
# A model with a state machine for core's transition tests; no migrations, never elsewhere.
INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.core.tests.state_machine_app"]
