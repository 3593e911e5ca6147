"""A payment link from the counter to a patient's phone, in Chromium over real HTTP: staff
send a link from the bill page and copy it with the Copy link button; a phone-sized browser
opens the copied address, pays by UPI on the sandbox's hosted page and lands on the receipt;
back at the desk the bill shows as paid. The gateway is the sandbox served by the live
server, so the phone reaches its hosted page as a patient reaches Razorpay's. No CSP
violation in either browser, and no request leaves the site."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from skinspire.collections.models import Bill, PatientPayment, PaymentLink
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk_and_bill(live_server, settings):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox = f"{live_server.url}/sandbox"
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, sandbox]
    configuration = sandbox_gateway(desk.hospital)
    configuration.base_url = f"{sandbox}/razorpay"  # the phone must reach the hosted page
    configuration.save(update_fields=["base_url"])
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-2001", amount="1850.00")
    return desk, bill


def test_a_link_is_sent_copied_and_paid_on_a_phone_and_the_desk_sees_the_bill_paid(
    live_server, browser_context, desk_and_bill
):
    desk, bill = desk_and_bill
    site = live_server.url.split("/")[2]
    hosts: list[str] = []
    desk_context = browser_context(viewport={"width": 1280, "height": 900})
    desk_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    desk_page = desk_context.new_page()
    desk_page.set_default_timeout(15_000)
    desk_page.on("request", lambda request: hosts.append(request.url.split("/")[2]))

    # At the desk: the whole open amount, 24 hours (the first choice), by e-mail.
    log_in(desk_page, live_server, desk.people["payments"].username)
    desk_page.click("nav.site-nav >> text=Bills")
    desk_page.click("text=OPD-2001")
    # A click waits only until the bill's page starts loading; until its (deferred) script
    # runs, the link form would be posted natively to the API instead of through it.
    desk_page.wait_for_url(f"{live_server.url}/workspace/bills/{bill.pk}/")
    desk_page.check("input[name=notify][value=email]")
    desk_page.click("#action-link button[type=submit]")
    desk_page.wait_for_selector("#links .link-row")
    # The reloaded page's script shows this once it runs; the Copy button needs it too.
    expect(desk_page.locator("#action-result")).to_have_text("Payment link created.")
    link = PaymentLink.objects.get()
    assert (link.amount, link.status, link.notify_email, link.notify_sms) == (
        Decimal("1850.00"),
        "created",
        True,
        False,
    )
    desk_page.click(f"button[data-copy='link-url-{link.pk}']")
    desk_page.wait_for_selector("button[data-copy]:text('Copied')")
    copied = desk_page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/pay/link/{link.token}"

    # On the patient's phone: the copied address, paid by UPI on the gateway's page.
    phone = browser_context(**PHONE).new_page()
    phone.set_default_timeout(15_000)
    phone.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    phone.goto(copied)
    assert "₹1,850.00" in phone.locator(".amount").inner_text()
    assert phone.locator(".site-header a").count() == 0  # nothing leads a patient to the staff sign-in
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    screenshot(phone, "patient-link-phone")
    phone.click("a.pay")
    phone.check("input[name=method][value=upi]")
    phone.fill("#vpa", "asha@okhdfc")
    screenshot(phone, "patient-gateway-page-phone")
    phone.click("button[value=success]")
    phone.wait_for_selector("[data-state=thanks]")
    assert "Payment received" in phone.inner_text("h1")
    phone.click("text=See your receipt")
    phone.wait_for_selector("text=Payment receipt")
    payment = PatientPayment.objects.get()
    assert (payment.status, payment.amount, payment.bill_id) == ("captured", Decimal("1850.00"), bill.pk)
    # The heading may be drawn before the rest of the page (the click waited only for it to start).
    expect(phone.locator("body")).to_contain_text(payment.reference)
    # The receipt is a patient page like the link's: the site's stylesheet, within the phone's width.
    assert phone.locator(".site-header a").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    assert phone.evaluate("getComputedStyle(document.querySelector('.patient-receipt')).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    expect(phone.locator("table.receipt tr", has_text="Method")).to_contain_text("UPI")
    screenshot(phone, "patient-receipt-phone")

    # Back at the desk: the bill is paid, the link too, and nothing is left to collect.
    desk_page.reload()
    assert desk_page.locator("h1 .badge").inner_text() == "Paid"
    assert desk_page.locator("#amount-open").inner_text() == "₹0.00"
    assert desk_page.locator(f"#link-{link.pk} .badge").inner_text() == "Paid"
    assert desk_page.locator(f"#link-url-{link.pk}").count() == 0  # a paid link is not offered again
    assert desk_page.locator("#collect").count() == 0
    row = desk_page.locator("#bill-payments tbody tr").first.locator("td").all_inner_texts()
    assert row[0] == payment.reference and row[1] == "₹1,850.00" and row[3] == "Captured"
    screenshot(desk_page, "workspace-bill-paid")
    assert Bill.objects.get(pk=bill.pk).status == "paid"
    assert set(hosts) == {site}
