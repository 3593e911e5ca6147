"""Load demo data: `core.demo` first, then every other installed app's `demo.seed(hospital, out)`,
then every app's `demo.seed_with_gateways(hospital, out)` where it has one.

The second pass is for rows made through a gateway (a supplier payout link): they need the
gateway configurations, which the sandbox's demo makes, last (it is installed last, and only in
development and tests). During that pass the calls reach a gateway within each demo module's
`gateway_calls()` context where it has one (the sandbox's serves itself in-process, since `make
run` has not started the site yet).

Idempotent: running it again changes nothing and prints the same credentials.
"""

from contextlib import ExitStack

from django.core.management.base import BaseCommand
from django.db import transaction

from skinspire.core import demo as core_demo
from skinspire.core.discovery import app_modules


class Command(BaseCommand):
    help = "Create the demo hospital, one user per role, and each installed app's demo rows."

    @transaction.atomic
    def handle(self, *args, **options):
        hospital = core_demo.seed(out=self.stdout)
        modules = [module for module in app_modules("demo") if module is not core_demo]
        for module in modules:
            module.seed(hospital=hospital, out=self.stdout)
        with ExitStack() as stack:
            for module in modules:
                if hasattr(module, "gateway_calls"):
                    stack.enter_context(module.gateway_calls())
            for module in modules:
                if hasattr(module, "seed_with_gateways"):
                    module.seed_with_gateways(hospital=hospital, out=self.stdout)
