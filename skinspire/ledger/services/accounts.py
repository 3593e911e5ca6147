"""Chart of accounts writes."""

from django.db import IntegrityError, transaction

from skinspire.core.models import Hospital
from skinspire.ledger.chart import DEFAULT_ACCOUNTS
from skinspire.ledger.errors import LedgerError
from skinspire.ledger.models import Account, AccountType


def chart_of_accounts_create(*, hospital: Hospital) -> list[Account]:
    """Give the hospital the default accounts. Idempotent: existing codes are left as they are."""
    return [
        Account.objects.get_or_create(
            hospital=hospital,
            code=definition.code,
            defaults={"name": definition.name, "type": definition.type},
        )[0]
        for definition in DEFAULT_ACCOUNTS
    ]


def chart_of_accounts_setup(hospital: Hospital) -> None:
    """The hook hospital_create calls (positional, as core's registry expects)."""
    chart_of_accounts_create(hospital=hospital)


def account_create(*, hospital: Hospital, code: str, name: str, type: str) -> Account:
    if type not in AccountType.values:
        raise LedgerError(f"'{type}' is not an account type.", extra={"type": type})
    try:
        with transaction.atomic():
            return Account.objects.create(hospital=hospital, code=code, name=name, type=type)
    except IntegrityError:
        raise LedgerError(f"Account {code} already exists.", extra={"code": code}) from None
