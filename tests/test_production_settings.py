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
