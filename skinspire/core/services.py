"""Tenancy writes."""

from collections.abc import Callable

from django.db import transaction

from skinspire.core.models import Hospital

# Apps that keep per-hospital set-up (the ledger's chart of accounts) register a function
# here from AppConfig.ready(); hospital_create calls each in the same transaction. An
# explicit registry rather than a post_save signal, so the side effect is visible here.
hospital_setup_hooks: list[Callable[[Hospital], None]] = []


def register_hospital_setup(hook: Callable[[Hospital], None]) -> None:
    if hook not in hospital_setup_hooks:
        hospital_setup_hooks.append(hook)


@transaction.atomic
def hospital_create(*, name: str, code: str) -> Hospital:
    hospital = Hospital.objects.create(name=name, code=code)
    hospital_setup(hospital=hospital)
    return hospital


def hospital_setup(*, hospital: Hospital) -> None:
    """Run every app's per-hospital set-up. Each hook is idempotent."""
    for hook in hospital_setup_hooks:
        hook(hospital)
