"""Production settings pass Django's deployment checklist when given real values, and
refuse to start on the development fallbacks: SQLite, no broker, weak or default keys."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skinspire.settings import insecure_defaults

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser fixture for Playwright; production never has it.
    # The test run's own database and broker are not production's: only `env` may name them.
    leaked = {"DEBUG", "SANDBOX_ENABLED", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in leaked}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "skinspire.settings.production",
    "SECRET_KEY": "k8#x2!p0vQz9Lr7w@Nc4Ty6Ub1Hs3Fd5Gj8Km0Xe2Wa4Zq6Rt9Yu1Io3Pl5Sn7Bv",
    "ALLOWED_HOSTS": "payments.skinspire.example",
    "FIELD_ENCRYPTION_KEYS": "a-long-random-production-field-key-0f9e8d7c6b5a",
    "FIELD_ENCRYPTION_SALT": "production-salt-4b3a2918",
    # Hosts that do not resolve: settings and checks must never need a connection.
    "DATABASE_URL": "postgres://skinspire@db.invalid:5432/skinspire",
    "REDIS_URL": "redis://cache.invalid:6379/0",
}


def without(*names: str) -> dict[str, str]:
    return {key: value for key, value in PRODUCTION_ENV.items() if key not in names}


def test_check_deploy_has_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    result = run_manage("check", **without("FIELD_ENCRYPTION_KEYS"))
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (without("DATABASE_URL"), "Set the DATABASE_URL environment variable"),
        (
            {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/skinspire-production.sqlite3"},
            "DATABASE_URL must point at PostgreSQL",
        ),
        (without("REDIS_URL"), "Set the REDIS_URL environment variable"),
        ({**PRODUCTION_ENV, "REDIS_URL": "filesystem://"}, "REDIS_URL must be a redis:// or rediss:// URL"),
    ],
    ids=["no-database", "sqlite", "no-redis", "filesystem-broker"],
)
def test_production_refuses_the_embedded_database_and_broker(environment, message):
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("FIELD_ENCRYPTION_KEYS", "", "skinspire.E001"),
        ("FIELD_ENCRYPTION_KEYS", "k", "skinspire.E002"),
        ("FIELD_ENCRYPTION_KEYS", insecure_defaults.FIELD_ENCRYPTION_KEY, "skinspire.E002"),
        ("FIELD_ENCRYPTION_SALT", "s", "skinspire.E003"),
        ("FIELD_ENCRYPTION_SALT", insecure_defaults.FIELD_ENCRYPTION_SALT, "skinspire.E003"),
        ("SECRET_KEY", insecure_defaults.SECRET_KEY, "skinspire.E004"),
        ("ALLOWED_HOSTS", "*", "skinspire.E005"),
    ],
    ids=["empty-key", "one-character-key", "dev-key", "short-salt", "dev-salt", "dev-secret-key", "any-host"],
)
def test_check_deploy_fails_on_weak_keys_and_any_host(name, value, check_id):
    result = run_manage("check", "--deploy", **{**PRODUCTION_ENV, name: value})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"({check_id})" in result.stderr
    assert "System check identified no issues" not in result.stdout


def test_in_production_every_checking_command_refuses_weak_keys():
    # Without --deploy: `migrate` and `runserver` run these same checks before doing anything.
    result = run_manage("check", **{**PRODUCTION_ENV, "FIELD_ENCRYPTION_SALT": "s", "ALLOWED_HOSTS": "*"})
    assert result.returncode == 1
    assert "(skinspire.E003) FIELD_ENCRYPTION_SALT is shorter than 16 characters." in result.stderr
    assert "(skinspire.E005) ALLOWED_HOSTS contains '*'" in result.stderr


def test_production_does_not_serve_the_sandbox():
    code = "from django.urls import resolve, Resolver404\ntry:\n    resolve('/sandbox/')\nexcept Resolver404:\n    print('not mounted')"
    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    assert result.stdout.strip() == "not mounted", result.stderr


def test_production_requires_totp_for_key_holders_and_development_does_not():
    code = "from django.conf import settings\nprint(settings.REQUIRE_TOTP_FOR_KEY_HOLDERS)"
    production = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    development = run_manage(
        "shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="skinspire.settings.local"
    )
    assert (production.stdout.strip(), development.stdout.strip()) == ("True", "False"), production.stderr


def test_production_sends_credentials_only_to_the_providers_and_hides_them_in_error_reports():
    code = (
        "from django.conf import settings\n"
        "print(settings.GATEWAY_BASE_URL_ALLOWLIST, settings.GATEWAY_ALLOW_PRIVATE_ADDRESSES,"
        " settings.DEFAULT_EXCEPTION_REPORTER_FILTER)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    assert (
        result.stdout.strip() == "[] False skinspire.core.error_reports.SecretHidingExceptionReporterFilter"
    ), result.stderr


def test_the_tests_only_app_is_installed_in_tests_alone():
    code = "from django.conf import settings\nprint([app for app in settings.INSTALLED_APPS if '.tests.' in app])"
    for settings_module in ("skinspire.settings.production", "skinspire.settings.local"):
        result = run_manage(
            "shell",
            "--no-imports",
            "-c",
            code,
            **{**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": settings_module},
        )
        assert result.stdout.strip() == "[]", result.stderr
