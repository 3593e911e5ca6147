import importlib

import pytest
from django.apps import apps

from skinspire.core.services import hospital_create
from skinspire.core.tests.factories import HospitalFactory
from skinspire.ledger.chart import clearing_account_code
from skinspire.ledger.errors import LedgerError
from skinspire.ledger.models import Account
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = pytest.mark.django_db

DEFAULT_CHART = [
    ("1000", "Bank", "asset"),
    ("1100", "Razorpay clearing", "asset"),
    ("1110", "Paytm clearing", "asset"),
    ("1200", "Patient receivables", "asset"),
    ("1300", "GST input", "asset"),
    ("2000", "Accounts payable (suppliers)", "liability"),
    ("4900", "Refunds", "income"),
    ("5000", "Gateway fees", "expense"),
]


def chart_of(hospital):
    return list(
        Account.objects.filter(hospital=hospital).order_by("code").values_list("code", "name", "type")
    )


def test_hospital_create_gives_the_new_hospital_the_default_chart():
    hospital = hospital_create(name="Skinspire Jubilee Hills", code="jubilee-hills")

    assert chart_of(hospital) == DEFAULT_CHART


def test_creating_the_chart_again_changes_nothing(hospital):
    chart_of_accounts_create(hospital=hospital)
    Account.objects.filter(hospital=hospital, code="1000").update(name="HDFC current account")

    chart_of_accounts_create(hospital=hospital)

    assert Account.objects.filter(hospital=hospital).count() == 8
    assert Account.objects.get(hospital=hospital, code="1000").name == "HDFC current account"


def test_data_migration_gives_existing_hospitals_the_chart():
    migration = importlib.import_module("skinspire.ledger.migrations.0003_default_chart_of_accounts")
    existing = HospitalFactory()

    migration.create_charts(apps, schema_editor=None)

    assert chart_of(existing) == DEFAULT_CHART


@pytest.mark.parametrize(("provider", "code"), [("razorpay", "1100"), ("paytm", "1110")])
def test_clearing_account_per_provider(provider, code):
    assert clearing_account_code(provider) == code


def test_unknown_provider_has_no_clearing_account():
    with pytest.raises(LedgerError) as raised:
        clearing_account_code("stripe")

    assert raised.value.extra == {"provider": "stripe"}
