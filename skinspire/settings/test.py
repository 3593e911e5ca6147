"""The test suite. DATABASE_URL / REDIS_URL come from the environment (CI sets both)."""

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
