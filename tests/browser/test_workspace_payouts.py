"""Supplier payments in Chromium: an approver approves a payout from the approvals queue and
sees it complete with its UTR; a rejection needs a reason; an API refusal is shown; the
list's filters on a tablet. No CSP violation anywhere (the `page` fixture fails on one)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import PayoutPolicy, SupplierPayment
from skinspire.payouts.services.approvals import supplier_payment_reject
from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.workspace.tests.payments_support import gateway_payout, sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def waiting():
    """A ₹25,000 IMPS payout above the ₹10,000 threshold, made by payments staff."""
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("10000.00"))
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    account = bank_account(supplier, account_number="50100012345678")
    payment = gateway_payout(desk.people["payments"], supplier, account, amount="25000.00")
    return desk, payment


def test_an_approver_approves_from_the_queue_and_sees_the_utr(live_server, page, waiting):
    desk, payment = waiting
    log_in(page, live_server, desk.people["approver"].username)

    page.click("nav.site-nav >> text=Approvals")
    page.wait_for_url(f"{live_server.url}/workspace/payouts/approvals/")
    assert page.locator("#payments tbody tr").count() == 1
    assert page.locator("#payments tbody td.amount").inner_text() == "₹25,000.00"
    screenshot(page, "workspace-approvals")
    # Keyboard only from here: Tab to the payment, Enter; Tab to Approve, Enter.
    tab_to(page, payment["reference"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/workspace/payouts/{payment['id']}/")

    tab_to(page, "Approve")
    page.keyboard.press("Enter")
    page.wait_for_selector("#action-result.message-success")
    assert page.locator("#action-result").inner_text() == "Approve: done."
    # Approved, then sent to the sandbox by the task that ran after commit.
    assert page.locator("h1 .badge").inner_text() == "Processing"

    page.click("#action-refresh button")
    page.wait_for_selector("h1 .badge[data-status=completed]")
    utr = SupplierPayment.objects.get(pk=payment["id"]).utr
    assert utr and page.locator("#utr").inner_text() == utr
    assert page.locator("#timeline .timeline-entry").last.locator(".badge").last.inner_text() == "Completed"
    assert page.locator("#actions").count() == 0
    screenshot(page, "workspace-payout-detail")


def test_a_rejection_needs_a_reason_and_shows_it_in_the_timeline(live_server, page, waiting):
    desk, payment = waiting
    log_in(page, live_server, desk.people["approver"].username, f"/workspace/payouts/{payment['id']}/")

    page.click("#action-reject button")  # empty reason: the browser asks for it, nothing is sent
    assert page.evaluate("document.activeElement.id") == "reason-reject"
    assert SupplierPayment.objects.get(pk=payment["id"]).status == "pending_approval"

    page.fill("#reason-reject", "Invoice A-1 is disputed")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1 .badge[data-status=rejected]")
    assert "Invoice A-1 is disputed" in page.locator("#timeline").inner_text()
    # The badge is drawn by the server; the message by the page's script, once it runs.
    expect(page.locator("#action-result")).to_have_text("Reject: done.")


def test_a_refusal_from_the_api_is_shown_in_the_page(live_server, page, waiting):
    desk, payment = waiting
    log_in(page, live_server, desk.people["approver"].username, f"/workspace/payouts/{payment['id']}/")
    # Meanwhile a superuser rejects it in another window.
    supplier_payment_reject(
        payment=SupplierPayment.objects.get(pk=payment["id"]),
        approver=desk.people["superuser"],
        reason="Duplicate",
    )

    page.click("#action-approve button")
    page.wait_for_selector("#action-result.message-error")

    assert page.locator("#action-result").inner_text().endswith("is rejected and cannot become approved.")
    assert page.evaluate("document.activeElement.id") == "action-result"  # read out to screen readers
    assert page.locator("#action-approve button").is_enabled()


def test_the_list_filters_on_a_tablet(live_server, browser_context, waiting):
    desk, payment = waiting
    page = browser_context(viewport={"width": 768, "height": 1024}, has_touch=True).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["accountant"].username, "/workspace/payouts/")

    page.select_option("#id_status", "pending_approval")
    page.fill("#id_q", "Acme")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/workspace/payouts/?*status=pending_approval*")

    assert page.locator("#payments tbody tr").count() == 1
    assert page.locator("#payments tbody .badge").inner_text() == "Pending approval"
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], sizes
    page.select_option("#id_status", "completed")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("text=No payments match.")
    screenshot(page, "workspace-payouts-tablet")
