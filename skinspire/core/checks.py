"""System checks for the secrets and hosts Django's deployment checklist does not judge.

Registered by CoreConfig.ready(): a deployment check (`check --deploy`) everywhere, and an
always-on one where SECURITY_CHECKS_ALWAYS is set (production), so `migrate` and
`runserver` refuse weak values too. Messages name the setting, never its value.
"""

from django.conf import settings
from django.core.checks import CheckMessage, Error

from skinspire.settings import insecure_defaults

MIN_FIELD_KEY_LENGTH = 32
MIN_SALT_LENGTH = 16
# Django's own rule for SECRET_KEY (security.W009): fewer distinct characters is not random.
MIN_DISTINCT_CHARACTERS = 5
KEY_HINT = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


def _weakness(value: str, *, min_length: int) -> str | None:
    """Why `value` is unfit as a secret, or None."""
    if not value:
        return "is empty"
    if value in insecure_defaults.ALL:
        return "is a development default published in this repository"
    if len(value) < min_length:
        return f"is shorter than {min_length} characters"
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_DISTINCT_CHARACTERS} distinct characters"
    return None


def field_encryption_key_errors() -> list[CheckMessage]:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        return [Error("FIELD_ENCRYPTION_KEYS is empty.", hint=KEY_HINT, id="skinspire.E001")]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        reason = _weakness(key, min_length=MIN_FIELD_KEY_LENGTH)
        if reason is None and key == settings.SECRET_KEY:
            reason = "is SECRET_KEY (the two must be independent, so rotating one never exposes the other)"
        if reason:
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS key {position} of {len(keys)} {reason}.",
                    hint=KEY_HINT,
                    id="skinspire.E002",
                )  # fmt: skip
            )
    return errors


def field_encryption_salt_errors() -> list[CheckMessage]:
    reason = _weakness(settings.FIELD_ENCRYPTION_SALT, min_length=MIN_SALT_LENGTH)
    if reason is None:
        return []
    return [Error(f"FIELD_ENCRYPTION_SALT {reason}.", hint=KEY_HINT, id="skinspire.E003")]


def secret_key_errors() -> list[CheckMessage]:
    # Length and variety of SECRET_KEY are Django's own checks (security.W009).
    if settings.SECRET_KEY not in insecure_defaults.ALL:
        return []
    return [
        Error(
            "SECRET_KEY is a development default published in this repository.",
            hint=KEY_HINT,
            id="skinspire.E004",
        )  # fmt: skip
    ]


def allowed_hosts_errors() -> list[CheckMessage]:
    if "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "ALLOWED_HOSTS contains '*', so any Host header is accepted (password-reset links and "
            "absolute URLs can be pointed at another site).",
            hint="List the site's own host names, e.g. ALLOWED_HOSTS=payments.example.com",
            id="skinspire.E005",
        )
    ]


def security_settings_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    return [
        *field_encryption_key_errors(),
        *field_encryption_salt_errors(),
        *secret_key_errors(),
        *allowed_hosts_errors(),
    ]
