"""Fixtures shared by every app's tests and the cross-app tests."""

import os

import pytest
from rest_framework.test import APIClient

from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory


@pytest.fixture
def hospital(db):
    return HospitalFactory()


@pytest.fixture
def branch(hospital):
    return BranchFactory(hospital=hospital)


@pytest.fixture
def staff_user(hospital, branch):
    user = UserFactory(hospital=hospital)
    user.branches.add(branch)
    return user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_client(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    return api_client


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (FAIL_ON_SKIP=1) a skipped test is a failure: nothing may hide behind a skip."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("FAIL_ON_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, and CI allows no skips: {report.longrepr}"
