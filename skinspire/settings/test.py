"""The test suite. DATABASE_URL / REDIS_URL come from the environment (CI sets both)."""

import uuid

from skinspire.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "sandbox.testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.sandbox"]
SANDBOX_BASE_URL = "http://sandbox.testserver/sandbox"
SANDBOX_STEP_SECONDS = 0
GATEWAY_INPROCESS_PREFIXES = ["http://sandbox.testserver/"]
GATEWAY_BASE_URL_ALLOWLIST = [
    SANDBOX_BASE_URL,
    # Hosts under the reserved .test domain that adapter tests answer with `responses`.
    "https://api.razorpay.test",
    "https://first.razorpay.test",
    "https://second.razorpay.test",
]
GATEWAY_ALLOW_PRIVATE_ADDRESSES = True
# The sandbox's callbacks go to the test client's names and to the receivers the sandbox
# tests answer with `responses`; any other host is refused (sandbox/delivery.py).
SANDBOX_CALLBACK_ALLOWED_HOSTS = [
    "localhost",
    "127.0.0.1",
    "::1",
    "testserver",
    "sandbox.testserver",
    "hospital.example",
    "hooks.example",
]
CELERY_TASK_ALWAYS_EAGER = True
MIDDLEWARE = [entry for entry in MIDDLEWARE if "whitenoise" not in entry]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A queue of this run's own: another test run or a `make run` worker on the same machine
# (same Redis database or same broker folder) never takes this run's messages.
CELERY_TASK_DEFAULT_QUEUE = f"skinspire-test-{uuid.uuid4().hex[:12]}"
# The audit log refuses TRUNCATE; this backend lets only the suite's own flush through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "skinspire.core.testing_postgresql"
# The money rows refuse DELETE; this backend lets only the suite's own flush through (SQLite).
if DATABASES["default"]["ENGINE"] == "skinspire.core.embedded_sqlite":
    DATABASES["default"]["ENGINE"] = "skinspire.core.testing_sqlite"
    # In memory, as Django's own SQLite test database is: pytest-django knows SQLite by the
    # engine's name only, and under xdist (`make test`: -n 2) would otherwise name each
    # worker's database after the file path ("test_/…/skinspire.sqlite3_gw0": no such folder).
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"
# django-otp makes a user wait 1 s after one wrong code; on a loaded CI machine a test's next
# request can come later than that. A minute keeps "throttled" observable; tests that need
# the wait over move the failure timestamp back (core/tests/totp_support.py).
OTP_TOTP_THROTTLE_FACTOR = 60
# A model with a state machine for core's transition tests; no migrations, never elsewhere.
INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.core.tests.state_machine_app"]
# A payments table with its reconciliation source, for reconciliation's run tests; no migrations.
INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.reconciliation.tests.source_app"]
