"""Production. Every value that matters must come from the environment.

The embedded defaults of development (SQLite under var/, the filesystem broker, a
per-process cache) lose work as soon as there is more than one process, so production
refuses to start without PostgreSQL and Redis instead of falling back to them.
"""

from django.core.exceptions import ImproperlyConfigured

from skinspire.settings.base import *  # noqa: F403
from skinspire.settings.env import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_SALT = env("FIELD_ENCRYPTION_SALT")
SALT_KEY = [FIELD_ENCRYPTION_SALT]
SANDBOX_ENABLED = False
# Superusers and Gateway admins log in with a TOTP code as well as a password.
REQUIRE_TOTP_FOR_KEY_HOLDERS = env.bool("REQUIRE_TOTP_FOR_KEY_HOLDERS", default=True)
# Live configurations use the providers' own hosts; a test one may add an allow-listed host.
GATEWAY_BASE_URL_ALLOWLIST = env.list("GATEWAY_BASE_URL_ALLOWLIST", default=[])
GATEWAY_ALLOW_PRIVATE_ADDRESSES = False
SECURITY_CHECKS_ALWAYS = True

DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://user:password@host:5432/name) in production; "
        "SQLite is for development only."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

REDIS_URL = env("REDIS_URL")
if not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "REDIS_URL must be a redis:// or rediss:// URL in production: Celery's broker and the "
        "shared cache (throttling) live there."
    )
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
