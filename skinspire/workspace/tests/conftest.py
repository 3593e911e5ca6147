"""Fixtures of the workspace's page tests: one accounts desk, its sandbox gateway, a supplier."""

import pytest

from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk


@pytest.fixture
def desk(db):
    return accounts_desk()


@pytest.fixture
def chart(desk):
    from skinspire.ledger.services import chart_of_accounts_create

    return chart_of_accounts_create(hospital=desk.hospital)


@pytest.fixture
def gateway(desk):
    return sandbox_gateway(desk.hospital)


@pytest.fixture
def supplier(desk):
    return SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")


@pytest.fixture
def account(supplier):
    return bank_account(supplier, account_number="50100012345678")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what the code under test enqueued after commit (Celery is eager in tests)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
