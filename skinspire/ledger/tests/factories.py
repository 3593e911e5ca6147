from decimal import Decimal

import factory

from skinspire.core.tests.factories import HospitalFactory
from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK
from skinspire.ledger.models import Account, AccountType
from skinspire.ledger.services import LineSpec


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    hospital = factory.SubFactory(HospitalFactory)
    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.ASSET


def pay_supplier(amount: str) -> list[LineSpec]:
    """Dr accounts payable, Cr bank: settling a supplier invoice."""
    return [
        LineSpec(ACCOUNTS_PAYABLE, debit=Decimal(amount)),
        LineSpec(BANK, credit=Decimal(amount)),
    ]
