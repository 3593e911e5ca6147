"""Fixtures of the cross-app end-to-end tests (helpers are in tests/e2e_support.py)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import collections_support as support
from tests import e2e_support as e2e
from tests.embedded_sqlite import migrated_template


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


@pytest.fixture
def bill(hospital, demo_merchants):
    """A bill in the demo hospital, its gateways the demo seed's (a module may name its own)."""
    return support.bill_in_demo_hospital(hospital)


@pytest.fixture(params=["razorpay", "paytm"])
def each_gateway(request, hospital) -> str:
    """Each demo gateway in turn, the other's configuration switched off: links and orders go
    to it (a test that takes it runs once for each)."""
    hospital.gateway_configurations.exclude(provider=request.param).update(is_active=False)
    return request.param


@pytest.fixture
def staff(api_client, bill):
    """An API client signed in as payments staff of the bill's branch."""
    return support.staff_client(api_client, bill)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file `manage.py migrate` made, built once for the run (tests/embedded_sqlite.py)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, which its workers share
    return migrated_template(root)
