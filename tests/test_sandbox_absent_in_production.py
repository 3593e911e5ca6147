"""Production has no sandbox: not installed, so no tables (nothing for `migrate` to apply),
no models, no admin entries, no URLs, no periodic tasks and no demo rows, even when the
environment asks for it. Development has all of them, which shows the probe sees them.

Each environment is probed in a fresh process with its own settings module, the way
`manage.py` would start there; nothing connects to a database.
"""

import json

from tests.test_production_settings import PRODUCTION_ENV, run_manage

PROBE = """
import json
from django.apps import apps
from django.contrib import admin
from django.db.migrations.loader import MigrationLoader
from django.urls import Resolver404, get_resolver, resolve
from skinspire.core.discovery import app_modules
from skinspire.core.schedules import periodic_tasks_all

try:
    sandbox_home = resolve("/sandbox/").view_name
except Resolver404:
    sandbox_home = None
print(json.dumps({
    "apps": sorted(config.label for config in apps.get_app_configs()),
    "models": sorted(model._meta.label for model in apps.get_models()),
    "admin": sorted(model._meta.label for model in admin.site._registry),
    # On an empty database `migrate` applies every migration of the graph.
    "migrations": sorted(f"{app}.{name}" for app, name in MigrationLoader(None).graph.nodes),
    "url_namespaces": sorted(get_resolver().namespace_dict),
    "sandbox_home": sandbox_home,
    "periodic_tasks": [definition["task"] for definition in periodic_tasks_all()],
    "demo_modules": [module.__name__ for module in app_modules("demo")],
}))
"""


def probe(**environment: str) -> dict:
    result = run_manage("shell", "--no-imports", "-c", PROBE, **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def sandbox_parts(found: dict) -> dict:
    return {
        "apps": [label for label in found["apps"] if label == "sandbox"],
        "models": [label for label in found["models"] if label.startswith("sandbox.")],
        "admin": [label for label in found["admin"] if label.startswith("sandbox.")],
        "migrations": [name for name in found["migrations"] if name.startswith("sandbox.")],
        "url_namespaces": [name for name in found["url_namespaces"] if name == "sandbox"],
        "sandbox_home": found["sandbox_home"],
        "periodic_tasks": [task for task in found["periodic_tasks"] if task.startswith("skinspire.sandbox.")],
        "demo_modules": [name for name in found["demo_modules"] if name.startswith("skinspire.sandbox.")],
    }


def test_production_has_no_sandbox_even_when_the_environment_asks_for_it():
    found = probe(**PRODUCTION_ENV, SANDBOX_ENABLED="true")
    assert sandbox_parts(found) == {
        "apps": [],
        "models": [],
        "admin": [],
        "migrations": [],
        "url_namespaces": [],
        "sandbox_home": None,
        "periodic_tasks": [],
        "demo_modules": [],
    }
    # The rest of the project is there: the probe is looking at a working production set-up.
    assert {"core", "gateways", "ledger"} <= set(found["apps"])
    assert "gateways.GatewayConfiguration" in found["admin"]
    assert "gateways.0001_initial" in found["migrations"]


def test_development_has_the_whole_sandbox():
    found = probe(DJANGO_SETTINGS_MODULE="skinspire.settings.local")
    parts = sandbox_parts(found)
    assert parts["apps"] == ["sandbox"]
    assert parts["models"] == [
        "sandbox.SandboxMerchant",
        "sandbox.SandboxObject",
        "sandbox.SandboxWebhookDelivery",
    ]
    assert parts["admin"] == parts["models"]
    assert parts["migrations"] == ["sandbox.0001_initial", "sandbox.0002_object_meta_and_related_name"]
    assert parts["url_namespaces"] == ["sandbox"]
    assert parts["sandbox_home"] == "sandbox:index"
    assert parts["periodic_tasks"] == [
        "skinspire.sandbox.tasks.sandbox_webhook_retry_due",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_settlements_daily",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payment_links_expire",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payout_links_expire",
        "skinspire.sandbox.paytm.tasks.sandbox_paytm_links_expire_due",
    ]
    assert parts["demo_modules"] == ["skinspire.sandbox.demo"]


def test_development_without_the_sandbox_has_none_of_it():
    found = probe(DJANGO_SETTINGS_MODULE="skinspire.settings.local", SANDBOX_ENABLED="false")
    assert [value for value in sandbox_parts(found).values() if value] == []
