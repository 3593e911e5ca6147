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


@pytest.fixture
def postgres_only(db):
    """For behaviour that exists only on PostgreSQL (row locks, triggers). CI always has it;
    a local SQLite run skips these, and in CI (FAIL_ON_SKIP=1) a skip fails the run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's ORM refuses to run
    # on a thread with a running loop unless told the calls really are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),  # see the Makefile
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
