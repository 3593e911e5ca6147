"""Fixtures for reconciliation's tests: sandbox-backed configurations and our own rows."""

import pytest

from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.source_app.models import TrialPayment


@pytest.fixture
def configuration(hospital):
    """A Razorpay configuration pointing at the in-process sandbox, with a sandbox merchant."""
    return sandbox_support.razorpay_configuration(hospital)


@pytest.fixture
def our_payment(configuration):
    """`our_payment(**fields)`: a row of ours in the test-only payments table (source_app)."""

    def make(**fields) -> TrialPayment:
        return TrialPayment.objects.create(configuration_id=configuration.pk, **fields)

    return make
