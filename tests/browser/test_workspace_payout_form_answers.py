"""Recording a supplier payment when the API's answers come back out of order: the supplier
changed while the first one's accounts and invoices are on their way, a fee asked for an
amount since changed. Only the newest answer of each kind shows (payout-form.js)."""

import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, upi_account
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk():
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    return desk


def supplier_with(desk, name: str, vpa: str, invoice: str):
    supplier = SupplierFactory(hospital=desk.hospital, name=name)
    upi_account(supplier, vpa=vpa)
    SupplierInvoiceFactory(supplier=supplier, number=invoice, amount=Decimal("1000.00"))
    return supplier


# Marks each API answer as handled once the code that asked for it has run on (a microtask
# after the answer), whether it used the answer or dropped it: so a test can wait for a late
# answer to have been dealt with before looking at what it did not change.
ANSWERS_WATCHED = """() => {
  const api = window.skinspireWorkspace;
  const callApi = api.callApi;
  window.answersHandled = [];
  api.callApi = async function (method, url, body) {
    const answer = await callApi.call(this, method, url, body);
    const asked = new URL(url, location.href).href + " " + JSON.stringify(body === undefined ? null : body);
    setTimeout(() => window.answersHandled.push(asked), 0);
    return answer;
  };
}"""


def open_form(page, live_server, desk) -> None:
    log_in(page, live_server, desk.people["payments"].username, "/workspace/payouts/new/")
    page.wait_for_load_state()  # the page's deferred scripts have run
    page.evaluate(ANSWERS_WATCHED)


def held_requests(page, url: str) -> list:
    """The requests to `url` from now on, held (not sent) until let_through."""
    held: list = []
    page.route(url, lambda route: held.append(route))
    return held


def let_through(page, held: list) -> None:
    """Sends the held requests on, and returns once the page has handled their answers."""
    for route in held:
        route.continue_()
    for route in held:
        asked = f"{route.request.url} {json.dumps(route.request.post_data_json, separators=(',', ':'))}"
        page.wait_for_function("asked => window.answersHandled.includes(asked)", arg=asked)


def test_a_slow_answer_for_the_supplier_first_chosen_never_shows_under_the_second(live_server, page, desk):
    first = supplier_with(desk, "Acme Surgicals", "acme@okhdfc", "A-1")
    second = supplier_with(desk, "Bharat Linen", "bharat@okaxis", "B-1")
    open_form(page, live_server, desk)
    held = held_requests(page, f"**/api/supplier/{first.pk}/**")

    page.select_option("#supplier", str(first.pk))
    page.select_option("#supplier", str(second.pk))
    expect(page.locator("#invoice-table tbody tr")).to_have_count(1)
    expect(page.locator("#account option:not([value=''])")).to_have_text(
        ["bh***@okaxis · Bharat Linen · not checked with the bank"]
    )
    assert len(held) == 2  # the first supplier's accounts and invoices, still on their way
    let_through(page, held)

    expect(page.locator("#invoice-table tbody td:first-child")).to_have_text(["B-1"])
    expect(page.locator("#account option:not([value=''])")).to_have_text(
        ["bh***@okaxis · Bharat Linen · not checked with the bank"]
    )


def test_the_fee_shown_is_for_the_amount_typed_last(live_server, page, desk):
    supplier = supplier_with(desk, "Acme Surgicals", "acme@okhdfc", "A-1")
    open_form(page, live_server, desk)
    page.select_option("#supplier", str(supplier.pk))
    expect(page.locator("#account option:not([value=''])")).to_have_count(1)
    page.check("input[name=mode][value=upi]")
    held: list = []

    def hold_the_first(route):
        if not held and (route.request.post_data_json or {}).get("amount") == "500.00":
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/payouts/fee-preview", hold_the_first)
    with page.expect_request("**/api/payouts/fee-preview"):
        page.fill("#amount", "500.00")
    page.fill("#amount", "700.00")
    expect(page.locator("#fee-receives")).to_have_text("₹700.00")
    assert len(held) == 1  # the fee for ₹500, still on its way
    let_through(page, held)

    expect(page.locator("#fee-receives")).to_have_text("₹700.00")


def test_a_fee_coming_back_after_the_method_changed_stays_hidden(live_server, page, desk):
    supplier = supplier_with(desk, "Acme Surgicals", "acme@okhdfc", "A-1")
    open_form(page, live_server, desk)
    page.select_option("#supplier", str(supplier.pk))
    page.check("input[name=mode][value=upi]")
    page.fill("#amount", "400.00")
    expect(page.locator("#fee-receives")).to_have_text("₹400.00")
    held = held_requests(page, "**/api/payouts/fee-preview")
    with page.expect_request("**/api/payouts/fee-preview"):
        page.fill("#amount", "500.00")

    page.check("input[name=method][value=manual]")
    expect(page.locator("#fee-preview")).to_be_hidden()  # the preview has seen the change
    assert len(held) == 1
    let_through(page, held)

    expect(page.locator("#fee-preview")).to_be_hidden()
