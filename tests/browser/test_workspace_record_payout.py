"""Recording supplier payments in Chromium: a UPI payout split across two invoices with its
fee preview, completed through the sandbox with its UTR shown; a new bank account added and
checked with the bank; a limit and a refusal explained; a cheque recorded by hand."""

import re
from decimal import Decimal

import pytest

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierAccount, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, upi_account
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

PAYMENT_PAGE = re.compile(r".*/workspace/payouts/[0-9]+/$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk_with_supplier():
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    upi = upi_account(supplier, vpa="acme@okhdfc")
    invoices = [
        SupplierInvoiceFactory(supplier=supplier, number="A-1", amount=Decimal("6000.00")),
        SupplierInvoiceFactory(supplier=supplier, number="A-2", amount=Decimal("4000.00")),
    ]
    return desk, supplier, upi, invoices


def open_form(page, live_server, desk, supplier) -> None:
    log_in(page, live_server, desk.people["payments"].username)
    page.click("nav.site-nav >> text=Record a payment")
    page.wait_for_url(f"{live_server.url}/workspace/payouts/new/")
    page.select_option("#supplier", str(supplier.pk))
    # Accounts and invoices load in two requests; wait for both before reading either.
    page.wait_for_selector("#invoice-table tbody tr")
    page.wait_for_selector("#account option:text('Choose an account')", state="attached")


def test_a_split_upi_payout_with_fee_preview_completes_with_its_utr(live_server, page, desk_with_supplier):
    desk, supplier, upi, invoices = desk_with_supplier
    open_form(page, live_server, desk, supplier)

    assert page.locator("#account option:not([value=''])").all_inner_texts() == [
        "ac***@okhdfc · Acme Surgicals · not checked with the bank"
    ]
    page.select_option("#account", str(upi.pk))
    page.check("input[name=mode][value=upi]")
    page.fill("input[aria-label^='Pay now for invoice A-1']", "6000.00")
    page.fill("input[aria-label^='Pay now for invoice A-2']", "1500.50")
    assert page.input_value("#amount") == "7500.50"
    page.wait_for_selector("#fee-preview:not([hidden]) #fee-receives:text('₹7,500.50')")
    assert page.locator("#fee-gateway").inner_text() == "Razorpay"
    screenshot(page, "workspace-record-payout")

    page.click("#submit-payment")
    page.wait_for_url(PAYMENT_PAGE)
    payment = SupplierPayment.objects.get()
    assert (
        page.locator("#action-result").inner_text() == f"Payment {payment.reference} recorded: processing."
    )  # sent at commit (eager tasks)
    assert [(line.invoice.number, line.amount) for line in payment.allocations.order_by("id")] == [
        ("A-1", Decimal("6000.00")),
        ("A-2", Decimal("1500.50")),
    ]
    page.click("#action-refresh button")
    page.wait_for_selector("h1 .badge[data-status=completed]")
    payment.refresh_from_db()
    assert payment.utr and page.locator("#utr").inner_text() == payment.utr


def test_a_limit_and_a_refusal_are_explained_and_nothing_is_recorded(live_server, page, desk_with_supplier):
    desk, supplier, upi, _ = desk_with_supplier
    open_form(page, live_server, desk, supplier)
    page.select_option("#account", str(upi.pk))
    page.check("input[name=mode][value=upi]")
    page.fill("#amount", "150000.00")
    page.wait_for_selector("#fee-gateway:text('UPI payouts go up to')")

    page.click("#submit-payment")
    page.wait_for_selector("#action-result.message-error")
    assert (
        page.locator("#action-result")
        .inner_text()
        .startswith("UPI payouts go up to ₹1,00,000.00; this one is ₹1,50,000.00.")
    )
    page.check("input[name=mode][value=imps]")  # IMPS needs a bank account, not a UPI id
    page.fill("#amount", "12.345")
    page.click("#submit-payment")
    page.wait_for_selector("#action-result.message-error:text('amount')")
    assert SupplierPayment.objects.count() == 0


def test_a_new_bank_account_is_checked_with_the_bank_and_offered(live_server, page, desk_with_supplier):
    desk, supplier, _, _ = desk_with_supplier
    open_form(page, live_server, desk, supplier)

    page.click("#add-account")
    page.fill("#holder-name", "Acme Surgicals")
    page.fill("#account-number", "50100012345678")
    page.fill("#ifsc", "hdfc0000123")
    page.click("#account-form button[value=save]")
    page.wait_for_selector("#account-result:not([hidden])")

    added = SupplierAccount.objects.get(kind="bank")
    # The sandbox answers the penny drop at once, with the name the bank holds.
    assert (added.validation_status, added.registered_name, added.name_mismatch) == (
        "active",
        "Acme Surgicals",
        False,
    )
    assert page.locator("#account-result").inner_text() == (
        "Added XXXX5678 (HDFC0000123). The bank says the name is Acme Surgicals."
    )
    assert "50100012345678" not in page.content()
    screenshot(page, "workspace-add-account")
    page.click("#account-close")
    assert (
        page.locator(f"#account option[value='{added.pk}']").inner_text().startswith("XXXX5678 (HDFC0000123)")
    )


def test_a_cheque_paid_by_hand_is_recorded_complete(live_server, page, desk_with_supplier):
    desk, supplier, _, _ = desk_with_supplier
    open_form(page, live_server, desk, supplier)
    page.check("input[name=method][value=manual]")
    assert page.locator("#gateway-part").is_hidden()
    page.select_option("#manual-mode", "cheque")
    page.fill("#manual-reference", "CHQ 000123")
    page.fill("#amount", "2500.00")
    page.click("#submit-payment")
    page.wait_for_url(PAYMENT_PAGE)
    assert page.locator("h1 .badge").inner_text() == "Completed"
    assert SupplierPayment.objects.get().manual_reference == "CHQ 000123"


def test_a_refused_invoice_share_is_named_by_its_invoice_not_shown_as_json(
    live_server, page, desk_with_supplier
):
    """The API names a refused share by its place in the list ({"invoices": {"1": {"amount":
    [...]}}}); the page showed that JSON as it came."""
    desk, supplier, upi, _ = desk_with_supplier
    open_form(page, live_server, desk, supplier)
    page.select_option("#account", str(upi.pk))
    page.fill("input[aria-label^='Pay now for invoice A-1']", "6000.00")
    page.fill("input[aria-label^='Pay now for invoice A-2']", "1500.505")
    page.fill("#amount", "7500.51")

    page.click("#submit-payment")
    page.wait_for_selector("#action-result.message-error")

    assert page.locator("#action-result").inner_text().split("\n") == [
        "Please correct the errors below.",
        "invoice A-2 amount: '1500.505' has more than 2 decimal places; amounts are in whole paise.",
    ]
    assert SupplierPayment.objects.count() == 0
