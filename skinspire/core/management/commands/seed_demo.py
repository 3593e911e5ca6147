"""Load demo data: `core.demo` first, then every other app's `demo.seed(hospital, out)`.

Idempotent: running it again changes nothing and prints the same credentials.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from skinspire.core import demo as core_demo


class Command(BaseCommand):
    help = "Create the demo hospital, one user per role, sandbox gateways and each app's demo rows."

    @transaction.atomic
    def handle(self, *args, **options):
        hospital = core_demo.seed(out=self.stdout)
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if app_config.name == "skinspire.core" or not app_config.name.startswith("skinspire."):
                continue
            if find_spec(module_name) is not None:
                import_module(module_name).seed(hospital=hospital, out=self.stdout)
