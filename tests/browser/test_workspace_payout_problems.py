"""Problems a payer meets, explained in Chromium: an account the bank says is invalid (added
through the dialog, then offered but not payable), and a payout the gateway holds because
the hospital's payout balance is too low — said on the form's next page and on the
payment's page in the gateway's words, until the balance is topped up and it completes."""

import re

import pytest

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierAccount, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, upi_account
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.razorpay.tasks import sandbox_razorpay_payout_advance
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

PAYMENT_PAGE = re.compile(r".*/workspace/payouts/[0-9]+/$")
LOW_BALANCE = "Payout is queued as there is insufficient balance to process it."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk_with_supplier():
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    configuration = sandbox_gateway(desk.hospital)
    merchant = SandboxMerchant.objects.get(key_id=configuration.key_id)
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    return desk, supplier, merchant


def open_form(page, live_server, desk, supplier) -> None:
    log_in(page, live_server, desk.people["payments"].username, "/workspace/payouts/new/")
    page.select_option("#supplier", str(supplier.pk))
    page.wait_for_selector(
        "#account option:text('Choose an account'), #account option:text('No account yet')", state="attached"
    )


def test_an_account_the_bank_calls_invalid_is_explained_and_cannot_be_chosen(
    live_server, page, desk_with_supplier
):
    desk, supplier, _ = desk_with_supplier
    open_form(page, live_server, desk, supplier)

    page.click("#add-account")
    page.fill("#holder-name", "Acme Surgicals")
    page.fill("#account-number", "50100012340000")  # the sandbox's bank: no such account
    page.fill("#ifsc", "HDFC0000123")
    page.click("#account-form button[value=save]")
    page.wait_for_selector("#account-result:not([hidden])")

    added = SupplierAccount.objects.get()
    assert added.validation_status == "invalid"
    assert page.locator("#account-result.message-error").inner_text() == (
        "Added XXXX0000 (HDFC0000123). The bank says this account is invalid (no such account, or "
        "closed): it cannot be paid. Check the account number and IFSC (or the UPI id) with the "
        "supplier and add it again."
    )
    screenshot(page, "workspace-add-account-invalid")
    page.click("#account-close")
    offered = page.locator(f"#account option[value='{added.pk}']")
    assert offered.inner_text() == (
        "XXXX0000 (HDFC0000123) · Acme Surgicals · the bank says invalid: cannot be paid"
    )
    assert offered.is_disabled()
    assert SupplierPayment.objects.count() == 0


def test_a_payout_held_for_a_low_balance_says_so_until_the_balance_is_topped_up(
    live_server, page, desk_with_supplier
):
    desk, supplier, merchant = desk_with_supplier
    upi = upi_account(supplier, vpa="acme@okhdfc")
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_000_00)  # ₹1,000
    open_form(page, live_server, desk, supplier)
    page.select_option("#account", str(upi.pk))
    page.check("input[name=mode][value=upi]")
    page.fill("#amount", "5000.00")
    page.click("#submit-payment")
    page.wait_for_url(PAYMENT_PAGE)

    payment = SupplierPayment.objects.get()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "low_balance",
        LOW_BALANCE,
    )
    assert page.locator("#action-result.message-warning").inner_text() == (
        f"Payment {payment.reference} recorded: processing. The gateway is holding it: {LOW_BALANCE}"
    )
    holds = page.locator("#gateway-holds").inner_text()
    assert holds.startswith(f"The gateway is holding this payout: {LOW_BALANCE} (low_balance)")
    assert "once the hospital's payout account is topped up" in holds
    assert page.locator("#timeline").inner_text().count(LOW_BALANCE) == 1
    screenshot(page, "workspace-payout-low-balance")
    page.goto(f"{live_server.url}/workspace/payouts/")
    assert page.locator("#payments tbody tr").first.locator(".held").inner_text() == "Held by the gateway"
    page.go_back()

    # Topped up: RazorpayX releases queued payouts once the balance allows (the sandbox's
    # lifecycle step stands for that), and the page no longer says it is held.
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    assert sandbox_razorpay_payout_advance(payment.gateway_payout_id) == "processing"
    page.click("#action-refresh button")
    page.wait_for_selector("h1 .badge[data-status=completed]")
    assert page.locator("#gateway-holds").count() == 0
    payment.refresh_from_db()
    assert (payment.waiting_code, payment.waiting_reason) == ("", "")
    assert payment.utr and page.locator("#utr").inner_text() == payment.utr
