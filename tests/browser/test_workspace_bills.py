"""At the counter in Chromium: staff send a patient a 48-hour payment link by SMS, copy it
and show its QR code; then record the rest in cash. No CSP violation."""

import pytest
from playwright.sync_api import expect

from skinspire.collections.models import Bill, PaymentLink
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_send_a_link_copy_it_see_the_qr_then_take_cash(live_server, browser_context):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-1001", amount="2000.00")
    context = browser_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["payments"].username)

    page.click("nav.site-nav >> text=Bills")
    page.click("text=OPD-1001")
    # A click waits only until the bill's page starts loading; until its (deferred) script
    # runs, the link form would be posted natively to the API instead of through it.
    page.wait_for_url(f"{live_server.url}/workspace/bills/{bill.pk}/")
    page.check("input[name=expire_in_hours][value='48']")
    page.check("input[name=notify][value=sms]")
    page.fill("#link-amount", "1200.00")
    page.click("#action-link button[type=submit]")
    page.wait_for_selector("#links .link-row")
    # The reloaded page's script shows this once it runs; the Copy button needs it too.
    expect(page.locator("#action-result")).to_have_text("Payment link created.")

    link = PaymentLink.objects.get()
    assert (link.amount, link.status, link.notify_sms, link.notify_email) == (1200, "created", True, False)
    hours = round((link.expires_at - link.created_at).total_seconds() / 3600)
    assert hours == 48
    url = page.input_value(f"#link-url-{link.pk}")
    assert url == f"{live_server.url}/pay/link/{link.token}"
    page.click(f"button[data-copy='link-url-{link.pk}']")
    page.wait_for_selector("button[data-copy]:text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == url
    # The QR code (an SVG from the API) loads under the page's policy.
    # img.decode() resolves once the image has loaded (wait_for_function would poll with eval,
    # which the policy forbids).
    page.evaluate("() => document.querySelector('img.qr').decode()")
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    screenshot(page, "workspace-bill-link")

    page.select_option("#counter-method", "cash")
    page.fill("#counter-amount", "800.00")
    page.click("#action-counter button[type=submit]")
    page.wait_for_selector("#bill-payments td:text('Cash')")
    # The table is drawn by the server; the message by the page's script, a moment later.
    expect(page.locator("#action-result")).to_have_text("Payment recorded.")
    assert Bill.objects.get(pk=bill.pk).amount_paid == 800


def test_resend_a_link_then_cancel_it_after_confirming(live_server, browser_context, mailoutbox):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma", email="asha@patients.example")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-1002", amount="900.00")
    page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["payments"].username)
    page.goto(f"{live_server.url}/workspace/bills/{bill.pk}/")
    page.check("input[name=notify][value=email]")
    page.click("#action-link button[type=submit]")
    page.wait_for_selector("#links .link-row")
    # The reloaded page's script shows this once it runs; until then Resend would post natively.
    expect(page.locator("#action-result")).to_have_text("Payment link created.")
    link = PaymentLink.objects.get()
    assert len(mailoutbox) == 0  # the gateway's own notice went out; ours only on resend

    page.click(f"#link-resend-{link.pk} button")
    page.wait_for_selector(f"#action-result:text('Link {link.reference} sent to the patient again.')")
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (["asha@patients.example"], f"Pay your bill OPD-1002 — {desk.hospital}")
    ]

    # Declining the confirmation leaves the link open; accepting it cancels it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(f"#link-cancel-{link.pk} button")
    assert PaymentLink.objects.get().status == "created"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#link-cancel-{link.pk} button")
    page.wait_for_selector(f"#action-result:text('Link {link.reference} cancelled.')")
    assert page.locator(f"#link-{link.pk} [data-status=cancelled]").inner_text() == "Cancelled"
    assert page.locator(f"#link-cancel-{link.pk}").count() == 0
    assert PaymentLink.objects.get().status == "cancelled"
    screenshot(page, "workspace-bill-link-cancelled")
