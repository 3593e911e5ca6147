"""Fixtures shared by every app's tests and the cross-app tests."""

import os
import uuid

import pytest
from rest_framework.test import APIClient

from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory


@pytest.fixture(autouse=True)
def cache_of_this_test(settings):
    """Cache keys of this test's own (throttle counters live in the cache): tests, and xdist
    workers sharing one Redis database, never see each other's counts."""
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, config in settings.CACHES.items()
    }


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
def sms_outbox(settings):
    """Text messages sent during the test (skinspire.core.sms's locmem backend), like mailoutbox."""
    from skinspire.core.sms import LocmemSmsBackend

    settings.SMS_BACKEND = "skinspire.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


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
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's ORM refuses to run
    # on a thread with a running loop unless told the calls really are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # `expect(...)` retries until its bound, like the pages' actions (set_default_timeout in
    # the tests); its own default of 5 s is short for this shared, loaded machine.
    expect.set_options(timeout=15_000)
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


# Reports every Content-Security-Policy violation in a page to the test (see watch_csp_violations).
CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


def watch_csp_violations(context) -> list[str]:
    """Every CSP violation in the context's pages, seen two ways: the page's
    `securitypolicyviolation` event, and Chromium's console report (which also covers a page
    that navigates away before the event reaches the test)."""
    violations: list[str] = []

    def report(violation: str) -> None:
        violations.append(violation)

    context.expose_function("reportCspViolation", report)
    context.add_init_script(CSP_VIOLATION_LISTENER)
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def browser_context(browser):
    """`browser_context(**options)` makes a context; the test fails if any of its pages
    violated the Content-Security-Policy (listed in `context.csp_violations` meanwhile)."""
    watched = []

    def new_context(**options):
        context = browser.new_context(**options)
        context.csp_violations = watch_csp_violations(context)
        watched.append((context, context.csp_violations))
        return context

    yield new_context
    violations = []
    for context, found in watched:
        for open_page in context.pages:
            open_page.evaluate("0")  # a round trip, so reports already sent have arrived
        context.close()
        violations.extend(found)
    assert violations == [], "Content-Security-Policy violations"


@pytest.fixture
def page(browser_context):
    context = browser_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = context.csp_violations  # for tests that assert it themselves
    return page


@pytest.fixture(autouse=True)
def webhook_routing_of_this_test():
    """The webhook receiver's per-process routing cache starts empty in every test: a route
    cached in an earlier test may name a configuration that test rolled back. Nor does a
    test start believing a relay of an earlier test's is still looking."""
    from skinspire.gateways.webhooks.relay import relay_coverage_forget
    from skinspire.gateways.webhooks.routing import routing_cache_clear

    routing_cache_clear()
    relay_coverage_forget()
    yield
    routing_cache_clear()
    relay_coverage_forget()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the migrated data (roles, chart of accounts, content
    types) instead of re-creating part of it, so the order tests run in never matters.

    Django's flush after a `transaction=True` test without serialized rollback re-runs the
    post_migrate handlers, which re-create content types under new ids; a later test with
    serialized rollback on the same worker then fails to reload them (a duplicate key). Which
    tests share a worker depends on xdist, so the failure came and went."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = "transactional_db" in fixtures or "live_server" in fixtures
        if marker is not None:
            transactional = transactional or bool(marker.kwargs.get("transaction"))
            if not transactional or "serialized_rollback" in marker.kwargs:
                continue
            kwargs = {**marker.kwargs, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        elif transactional:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(autouse=True)
def content_type_cache_of_this_test():
    """Django caches content type ids per process. A transactional test's flush empties the
    table without clearing that cache (serialized rollback skips post_migrate, which would), so
    an id cached in an earlier test would point at a row that no longer exists."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def celery_outside_a_worker():
    """An in-process test worker (celery.contrib.testing.worker) marks the whole process as
    "inside a worker", where Celery refuses `result.get()`; its solo pool can set that mark
    after start_worker has cleared it. Each test starts outside a worker."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The serialized copy of the migrated data (roles, chart of accounts, content types) that
    each transactional test restores, kept on whichever connection object Django hands out.

    Playwright's sync API keeps an event loop running on the main thread once the `browser`
    fixture has started. While a loop runs, asgiref gives Django its async storage, and so a
    second connection object, which lacks `_test_serialized_contents`: every transactional
    test after the first browser test on a worker silently skipped the restore, and started
    with empty tables (the role groups missing). Each transactional test's setup now puts the
    copy back on the current connection object first."""
    from django.db import connections
    from django.test import TransactionTestCase

    copies = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    original = TransactionTestCase.__dict__["_fixture_setup"]

    def _fixture_setup(cls):
        for alias, contents in copies.items():
            if not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        original.__func__(cls)

    TransactionTestCase._fixture_setup = classmethod(_fixture_setup)
    yield
    TransactionTestCase._fixture_setup = original
