"""A workspace page whose forms are sent by its script cannot be used before that script
has run: their buttons come disabled and are enabled once the page's deferred scripts have
run, so an early click never posts a form to the API's own URL (where the person would land
on its JSON). The script is held back here to make the early moment last."""

import pytest
from playwright.sync_api import expect

from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_bills_buttons_wait_for_its_script(live_server, page):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    bill = BillFactory(branch=desk.main, patient=PatientFactory(hospital=desk.hospital), amount="2000.00")
    log_in(page, live_server, desk.people["payments"].username)
    held: list = []
    page.route("**/static/workspace/workspace.js", lambda route: held.append(route))

    page.goto(f"{live_server.url}/workspace/bills/{bill.pk}/", wait_until="commit")
    page.wait_for_selector("#action-link button[type=submit]", state="attached")
    counter = page.locator("#action-counter button[type=submit]")
    link = page.locator("#action-link button[type=submit]")
    expect(counter).to_be_disabled()
    expect(link).to_be_disabled()
    expect(page.locator("#action-pay-online button[type=submit]")).to_be_enabled()  # a page's own form
    assert len(held) == 1

    held[0].continue_()
    expect(counter).to_be_enabled()
    expect(link).to_be_enabled()
