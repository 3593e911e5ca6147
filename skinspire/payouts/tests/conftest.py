"""Payout fixtures: a hospital whose default gateway is a sandbox RazorpayX merchant, in-process."""

import pytest

from skinspire.core.roles import ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

SANDBOX_RAZORPAY = "http://sandbox.testserver/sandbox/razorpay"


@pytest.fixture
def merchant(db):
    return SandboxMerchantFactory(
        webhook_url="https://merchant.invalid/webhooks/razorpay", account_number="2323230041626905"
    )


@pytest.fixture
def configuration(hospital, merchant):
    return GatewayConfigurationFactory(
        hospital=hospital,
        is_default=True,
        base_url=SANDBOX_RAZORPAY,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )


@pytest.fixture
def supplier(hospital):
    return SupplierFactory(hospital=hospital, name="Acme Surgicals")


@pytest.fixture
def maker(hospital, branch):
    return UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch])


@pytest.fixture
def approver(hospital, branch):
    return UserFactory(hospital=hospital, roles=[ROLE_PAYMENT_APPROVER], branches=[branch])


@pytest.fixture
def chart(hospital):
    from skinspire.ledger.services import chart_of_accounts_create

    return chart_of_accounts_create(hospital=hospital)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what the code under test enqueued after commit (Celery is eager in tests)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
