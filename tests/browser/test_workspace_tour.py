"""Every main page of the workspace in Chromium, with data on it: each form control has a
label a screen reader reads out, each page says what it is in its title and heading, and a
screenshot of each is kept for the user guide (var/screenshots/). A newcomer starts on the
home page's "What do you want to do?" cards, which lead to the right page for their role."""

import pytest

from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, upi_account
from skinspire.workspace.tests.payments_support import (
    counter_payment,
    gateway_payout,
    manual_payment,
    sandbox_gateway,
)
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Form controls without an accessible name: no <label>, aria-label or aria-labelledby (a
# button's own text is its name).
UNLABELLED = """() => Array.from(document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button"))
  .filter((element) => !((element.labels && element.labels.length)
    || element.getAttribute("aria-label") || element.getAttribute("aria-labelledby")
    || (element.tagName === "BUTTON" && element.textContent.trim())))
  .map((element) => element.outerHTML.slice(0, 120))"""


@pytest.fixture
def busy_desk():
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    staff = desk.people["payments"]
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    SupplierInvoiceFactory(supplier=supplier, number="A-7")
    upi = upi_account(supplier, vpa="acme@okhdfc")
    payout = gateway_payout(staff, supplier, upi, amount="4500.00", mode="upi")
    manual_payment(staff, supplier, amount="1200.00", reference="CHQ 000451")
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-3001", amount="2400.00")
    BillFactory(branch=desk.city, number="IPD-0042", amount="18500.00")
    patient_payment = counter_payment(staff, bill, amount="400.00")
    return desk, {
        "payout": f"/workspace/payouts/{payout['id']}/",
        "bill": f"/workspace/bills/{bill.pk}/",
        "patient_payment": f"/workspace/patient-payments/{patient_payment['id']}/",
    }


def test_every_main_page_is_labelled_and_photographed(live_server, page, busy_desk):
    desk, urls = busy_desk
    log_in(page, live_server, desk.people["payments"].username)
    assert page.locator("#start-here .task-title").all_inner_texts() == [
        "Pay a supplier",
        "Send a patient a payment link",
        "Pay many suppliers from a file",
        "Refund a patient",
    ]
    screenshot(page, "workspace-home-start-here")

    pages = [
        ("/workspace/payouts/", "Supplier payments", "workspace-payouts"),
        (urls["payout"], "Payment SP", "workspace-payout-detail-processing"),
        ("/workspace/payouts/new/", "Record a supplier payment", "workspace-record-payout-empty"),
        ("/workspace/payouts/batches/", "Batch payouts", "workspace-batches"),
        ("/workspace/bills/", "Bills", "workspace-bills"),
        (urls["bill"], "Bill OPD-3001", "workspace-bill"),
        ("/workspace/patient-payments/", "Patient payments", "workspace-patient-payments"),
        (urls["patient_payment"], "Patient payment PP", "workspace-patient-payment"),
    ]
    for url, heading, name in pages:
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert page.locator("h1").inner_text().startswith(heading), url
        assert heading.split(" ")[0] in page.title(), url
        assert page.evaluate(UNLABELLED) == [], url
        screenshot(page, name)

    # The approver's and the accountant's own pages.
    for person, url, heading, name in [
        ("approver", "/workspace/payouts/approvals/", "Approvals", "workspace-approvals-empty"),
        ("accountant", "/workspace/reconciliation/", "Reconciliation", "workspace-reconciliation"),
    ]:
        page.context.clear_cookies()
        log_in(page, live_server, desk.people[person].username, url)
        assert page.locator("h1").inner_text().startswith(heading), url
        assert page.evaluate(UNLABELLED) == [], url
        screenshot(page, name)


def test_a_newcomer_goes_from_the_home_page_to_paying_a_supplier_and_sending_a_link(
    live_server, page, busy_desk
):
    desk, _ = busy_desk
    log_in(page, live_server, desk.people["payments"].username)
    page.click("#start-here >> text=Pay a supplier")
    page.wait_for_url(f"{live_server.url}/workspace/payouts/new/")
    assert page.locator("h1").inner_text() == "Record a supplier payment"
    # The button says what pressing it will do.
    button, help_text = page.locator("#submit-payment"), page.locator("#submit-help")
    assert (button.inner_text(), help_text.inner_text()) == (
        "Send payment",
        "Sends the money through the gateway now.",
    )
    page.fill("#amount", "75000.00")
    assert (button.inner_text(), help_text.inner_text()) == (
        "Submit for approval",
        "At or above ₹50,000.00: a Payment approver approves it before it is sent.",
    )
    page.check("input[name=method][value=manual]")
    page.fill("#amount", "1500.00")
    assert (button.inner_text(), help_text.inner_text()) == (
        "Record payment",
        "Records a payment already made; nothing is sent.",
    )

    page.go_back()
    page.click("#start-here >> text=Send a patient a payment link")
    page.wait_for_url(f"{live_server.url}/workspace/bills/")
    page.fill("input[name=q]", "Asha")
    page.keyboard.press("Enter")
    # A key press does not wait for the search it submits: the unfiltered list, still shown,
    # has OPD-3001 too.
    page.wait_for_url("**/workspace/bills/?*q=Asha*")
    page.click("text=OPD-3001")
    assert page.locator("#action-link button[type=submit]").inner_text() == "Create payment link"
