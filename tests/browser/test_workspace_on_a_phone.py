"""Every page of each role, and the patient's link pages and receipt, on a 360 px phone in
Chromium: the page is never wider than the screen (a wide table scrolls inside its own
.table-wrap, the page does not), and what the page is for is on the screen. The record
form is checked as it is worked too: invoices listed, a refusal shown, the add-account
dialog open. No Content-Security-Policy violation (the `browser_context` fixture)."""

import pytest

from skinspire.workspace.tests.support import EVERY_PERSON
from tests.browser.workspace_browser import log_in, screenshot
from tests.browser.workspace_pages import ROLE_PAGES, desk_with_every_page, open_patient_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True, "has_touch": True}

# What each page is for, by the names of workspace_pages.ROLE_PAGES.
KEY_CONTENT = {
    "home": "#work-card",
    "payouts": "#payments tbody tr",
    "payout": "#summary",
    "payout_to_approve": "#summary",
    "record": "#payout-form",
    "approvals": "#payments tbody tr",
    "batches": "#batches tbody tr",
    "batch": "#progress-table",
    "bills": "#bills tbody tr",
    "bill": "#bill-payments tbody tr",
    "patient_payments": "#payments tbody tr",
    "patient_payment": "#summary",
    "reconciliation": "#summary-cards",
    "admin_configurations": "#result_list",
    "admin_configuration": "#content-main form",
    "admin_discrepancies": "#result_list",
    "admin_discrepancy": "#content-main form",
}


@pytest.fixture
def desk():
    return desk_with_every_page()


@pytest.fixture
def phone(browser_context):
    page = browser_context(**PHONE).new_page()
    page.set_default_timeout(15_000)
    return page


def assert_fits_the_phone(page, what: str, key: str) -> None:
    """Nothing makes the page scroll sideways; the heading is wholly on the screen and the
    key content starts on it (a table in a .table-wrap may reach past the right edge)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (what, width)
    heading = page.locator("h1").first.bounding_box()
    assert heading is not None and heading["x"] >= 0 and heading["x"] + heading["width"] <= WIDTH, what
    content = page.locator(key).first
    assert content.is_visible(), (what, key)
    box = content.bounding_box()
    assert box is not None and 0 <= box["x"] < WIDTH, (what, key, box)


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_page_of_each_role_fits_a_phone(live_server, phone, desk, person):
    people, urls = desk
    log_in(phone, live_server, people.people[person].username)
    for name in ROLE_PAGES[person]:
        response = phone.goto(f"{live_server.url}{urls[name]}")
        assert response is not None and response.status == 200, (name, response and response.status)
        assert_fits_the_phone(phone, f"{person}: {name}", KEY_CONTENT[name])
        if person == "superuser":
            screenshot(phone, f"phone-{name.replace('_', '-')}")


def test_the_record_form_fits_a_phone_as_it_is_worked(live_server, phone, desk):
    people, urls = desk
    log_in(phone, live_server, people.people["payments"].username, urls["record"])
    phone.select_option("#supplier", urls["supplier"])
    phone.wait_for_selector("#invoice-table tbody tr")
    phone.select_option("#account", urls["account"])
    phone.fill("#amount", "150000.00")
    phone.wait_for_selector("#fee-gateway:text('UPI payouts go up to')")
    phone.click("#submit-payment")
    phone.wait_for_selector("#action-result.message-error")
    assert_fits_the_phone(phone, "record, refused", "#invoice-table tbody tr")
    assert_fits_the_phone(phone, "record, refused", "#action-result")

    phone.click("#add-account")
    phone.wait_for_selector("#account-dialog[open]")
    assert_fits_the_phone(phone, "record, the add-account dialog", "#account-dialog")
    dialog = phone.locator("#account-dialog").bounding_box()
    assert dialog is not None and dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= WIDTH
    screenshot(phone, "phone-record-add-account")


@pytest.fixture
def patient_link(live_server, settings):
    return open_patient_link(live_server, settings)


def test_the_patients_link_and_receipt_fit_a_phone(live_server, phone, patient_link):
    phone.goto(f"{live_server.url}/pay/link/{patient_link.token}")
    assert_fits_the_phone(phone, "link, open", "a.pay")
    assert "₹1,000.00" in phone.locator(".amount").inner_text()

    phone.click("a.pay")
    phone.click("button[value=success]")
    phone.wait_for_selector("[data-state=thanks]")
    assert_fits_the_phone(phone, "link, the payment received", "text=See your receipt")
    phone.click("text=See your receipt")
    phone.wait_for_selector("text=Payment receipt")
    assert_fits_the_phone(phone, "receipt", "table.receipt")
    assert "₹1,000.00" in phone.locator("table.receipt").inner_text()

    phone.goto(f"{live_server.url}/pay/link/{patient_link.token}")
    phone.wait_for_selector("[data-state=paid]")
    assert_fits_the_phone(phone, "link, the bill paid", "[data-state=paid]")


def test_the_rows_to_correct_of_a_refused_batch_fit_a_phone(live_server, phone, desk, tmp_path):
    people, urls = desk
    log_in(phone, live_server, people.people["payments"].username, "/workspace/payouts/batches/")
    bad = tmp_path / "january.csv"
    bad.write_text(
        "supplier,account,amount,mode,invoices,reference\n"
        f"Acme Surgicals,{urls['account']},1200.50,upi,,J-1\n"
        f"Acme Surgicals,{urls['account']},12.345,upi,,J-2\n"
    )
    phone.set_input_files("#batch-file", str(bad))
    phone.click("#batch-upload button[type=submit]")
    phone.wait_for_selector("#upload-errors:not([hidden])")
    assert_fits_the_phone(phone, "batches, rows to correct", "#row-errors tbody tr")
    assert phone.locator("#row-errors tbody tr td").first.inner_text() == "3"
    screenshot(phone, "phone-batch-row-errors")
