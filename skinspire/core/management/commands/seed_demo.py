"""Load demo data: `core.demo` first, then every other installed app's `demo.seed(hospital, out)`.

Idempotent: running it again changes nothing and prints the same credentials.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from skinspire.core import demo as core_demo
from skinspire.core.discovery import app_modules


class Command(BaseCommand):
    help = "Create the demo hospital, one user per role, and each installed app's demo rows."

    @transaction.atomic
    def handle(self, *args, **options):
        hospital = core_demo.seed(out=self.stdout)
        for module in app_modules("demo"):
            if module is not core_demo:
                module.seed(hospital=hospital, out=self.stdout)
