"""Every admin list, filtered by a number no database row can hold, answers 4xx or an empty
list, never a 500, on the embedded SQLite of `make run` too; so does a `__range` filter, whose
text admin handed to the database a character per bound (a 500 on every database).

A value past 64 bits (?supplier=99999999999999999999, ?id__in=...) is one SQLite cannot
bind: Django checks the range only for an integer field's own exact/gt/lt lookups, not for a
foreign key or `in`, so such a filter raised OverflowError from every list with a foreign
key (348 filters of 36 lists). PostgreSQL compares the value as numeric and lists
nothing. The sweep runs in a subprocess on a fresh SQLite file, since CI's database is
PostgreSQL; it is repeated here in-process on whichever database the suite uses.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from skinspire.core.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
TOO_BIG = "99999999999999999999"
SUFFIXES = ("", "__in", "__gt", "__range")  # the key itself, `in`, a comparison, and a range

SWEEP = f"""
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from skinspire.core.models import User

call_command("migrate", verbosity=0)
root = User.objects.create_superuser("root", "root@hospital.example", "correct-horse-battery")
client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
client.force_login(root)
tried, failed = 0, []
for model in admin.site._registry:
    url = reverse(f"admin:{{model._meta.app_label}}_{{model._meta.model_name}}_changelist")
    for field in model._meta.concrete_fields:
        kind = field.get_internal_type()
        if not (field.is_relation or kind.endswith(("IntegerField", "AutoField"))):
            continue
        for suffix in {SUFFIXES!r}:
            tried += 1
            status = client.get(url, {{field.name + suffix: "{TOO_BIG}"}}).status_code
            if status >= 500:
                failed.append(f"{{status}} {{url}} {{field.name}}{{suffix}}")
print(tried, failed)
"""


def integer_filters():
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for field in model._meta.concrete_fields:
            if field.is_relation or field.get_internal_type().endswith(("IntegerField", "AutoField")):
                yield url, field.name


def test_no_admin_list_fails_on_a_filter_value_out_of_range_on_sqlite(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="skinspire.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'skinspire.sqlite3'}",
        REDIS_URL="",
        CELERY_FILESYSTEM_BROKER_DIR=str(tmp_path / "broker"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SWEEP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    tried, _, failed = result.stdout.strip().splitlines()[-1].partition(" ")
    assert int(tried) > 200  # every list's foreign keys and integer fields, three lookups each
    assert failed == "[]"


@pytest.mark.django_db
def test_no_admin_list_fails_on_a_filter_value_out_of_range(client):
    client.raise_request_exception = False
    client.force_login(UserFactory(username="root", hospital=None, is_superuser=True, is_staff=True))
    failed = []
    for url, name in integer_filters():
        for suffix in SUFFIXES:
            status = client.get(url, {name + suffix: TOO_BIG}).status_code
            if status >= 500:
                failed.append(f"{status} {url} {name}{suffix}")
    assert failed == []
