"""Fixtures of the cross-app end-to-end tests (helpers are in tests/e2e_support.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import e2e_support as e2e


@pytest.fixture
def receiver(settings):
    """The recording webhook receiver at http://sandbox.testserver/test-hooks/<provider>/."""
    yield e2e.receiver_install(settings)
    e2e.receiver_uninstall()


@pytest.fixture
def demo_merchants(hospital, receiver):
    """The demo seed's sandbox merchants and configurations, webhooks aimed at the receiver."""
    return e2e.demo_gateways_seed(hospital=hospital)


@pytest.fixture
def expire_by():
    return (timezone.now() + timedelta(days=7)).replace(microsecond=0)
