"""Settings shared by every environment. Integrations live in their own modules."""

from typing import Any

from skinspire.settings import insecure_defaults
from skinspire.settings.env import BASE_DIR, VAR_DIR, env

SECRET_KEY = env("SECRET_KEY", default=insecure_defaults.SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Core's check of keys and hosts (skinspire.core.checks) runs with `check --deploy`; production
# turns this on so every command that runs checks (check, migrate, runserver) refuses weak ones.
SECURITY_CHECKS_ALWAYS = False

INSTALLED_APPS = [
    # The admin site with the second-factor gate (skinspire.core.authentication.admin_site).
    "skinspire.core.authentication.admin_config.SkinspireAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "skinspire.core",
    "skinspire.ledger",
    "skinspire.gateways",
    "skinspire.payouts",
    "skinspire.collections",
    "skinspire.reconciliation",
    "skinspire.workspace",
]

MIDDLEWARE = [
    # First, so every answer carries it: redirects, errors and the webhook fast path too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The gateways' webhook receivers go straight to their views from here, with the CSP
    # and framing headers, skipping the session/CSRF/auth layers they never read.
    "skinspire.gateways.webhooks.middleware.WebhookFastPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "skinspire.core.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, whose static files may be cached; every other answer is no-store
    # unless its view says otherwise.
    "skinspire.core.cache_headers.NoStoreByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "skinspire.core.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns any login refused for a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skinspire.urls"
WSGI_APPLICATION = "skinspire.wsgi.application"
ASGI_APPLICATION = "skinspire.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skinspire.workspace.context_processors.workspace",
            ],
        },
    },
]

# SQLite under var/ by default, so `make run` needs no database server.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'skinspire.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with sums of money exact to the paisa (its docstring says why).
    DATABASES["default"]["ENGINE"] = "skinspire.core.embedded_sqlite"
    # The web server and the worker share the file (see docs/security.md, "The embedded
    # default"). WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN, so a transaction never has to upgrade a read lock (which fails at once, without
    # waiting); the timeout is how long a writer waits for the lock before "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

LOGIN_URL = "admin:login"
# Where a login goes when its `next=` is refused (another site): the home page, not Django's
# /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "home"

# How many reverse proxies in front of the site append to X-Forwarded-For. 0: none, the
# header is ignored and the client is the TCP peer (skinspire.core.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Error pages (DEBUG) and error e-mails hide the encryption salt, database and broker URLs
# and secret-named locals too, not only Django's API/KEY/SECRET/PASS/TOKEN/SIGNATURE names.
DEFAULT_EXCEPTION_REPORTER_FILTER = "skinspire.core.error_reports.SecretHidingExceptionReporterFilter"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "skinspire.core.redaction.RedactingLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

from skinspire.settings.authentication import *  # noqa: E402,F403
from skinspire.settings.celery import *  # noqa: E402,F403
from skinspire.settings.csp import *  # noqa: E402,F403
from skinspire.settings.drf import *  # noqa: E402,F403
from skinspire.settings.encryption import *  # noqa: E402,F403
from skinspire.settings.gateways import *  # noqa: E402,F403

# Where Paytm posts a payout's outcome (its per-payout `callbackUrl`): the webhook inbox's
# https://<this site>/api/gateway/webhook/paytm. Empty: outcomes are learnt by status query.
PAYOUT_CALLBACK_URL = env("PAYOUT_CALLBACK_URL", default="")
