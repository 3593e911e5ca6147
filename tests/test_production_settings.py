"""Production settings pass Django's deployment checklist when given real values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser fixture for Playwright; production never has it.
    leaked = {"DEBUG", "SANDBOX_ENABLED", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
    "DATABASE_URL": "sqlite:////tmp/skinspire-deploy-check.sqlite3",
}


def test_check_deploy_has_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "FIELD_ENCRYPTION_KEYS"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


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
