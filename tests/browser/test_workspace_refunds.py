"""Staff refund half of a captured patient payment in Chromium; a refund above what is left
is refused with the API's message; the reason is required. No CSP violation."""

import pytest
from playwright.sync_api import expect

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.workspace.tests.payments_support import counter_payment
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_refund_half_of_a_captured_payment(live_server, page):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-1001", amount="3000.00")
    payment = counter_payment(desk.people["payments"], bill, amount="3000.00")
    log_in(page, live_server, desk.people["payments"].username)

    page.click("nav.site-nav >> text=Patient payments")
    page.click(f"text={payment['reference']}")
    page.wait_for_url(f"{live_server.url}/workspace/patient-payments/{payment['id']}/")
    assert page.locator("#refundable").inner_text() == "₹3,000.00"

    page.fill("#refund-amount", "1500.00")
    page.click("#action-refund button")  # no reason yet: the browser asks for one
    assert page.evaluate("document.activeElement.id") == "refund-reason"
    page.fill("#refund-reason", "Procedure not done")
    page.click("#action-refund button")
    page.wait_for_selector("h1 .badge[data-status=partially_refunded]")

    # The badge is drawn by the server; the message by the page's script, once it runs (and
    # the second refund below goes through that script too).
    expect(page.locator("#action-result")).to_have_text("Refund recorded.")
    assert page.locator("#refundable").inner_text() == "₹1,500.00"
    assert page.locator("#refunds tbody tr").count() == 1
    assert PatientPayment.objects.get(pk=payment["id"]).amount_refunded == 1500
    screenshot(page, "workspace-patient-payment-refund")

    page.fill("#refund-amount", "2000.00")
    page.fill("#refund-reason", "Too much")
    page.click("#action-refund button")
    page.wait_for_selector("#action-result.message-error")
    assert page.locator("#action-result").inner_text() == (
        f"At most ₹1,500.00 of payment {payment['reference']} can still be refunded.\namount: At most 1500.00."
    )
    assert PatientPayment.objects.get(pk=payment["id"]).amount_refunded == 1500
