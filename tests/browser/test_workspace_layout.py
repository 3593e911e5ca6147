"""The workspace layout in Chromium: keyboard only, the branch switch, the gateways banner,
a tablet's width, and nothing the Content-Security-Policy blocks (the `page` fixture fails
the test on any violation)."""

import pytest
from playwright.sync_api import expect

from skinspire.collections.tests.factories import BillFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.tests.factories import SupplierFactory
from skinspire.workspace.tests.payments_support import counter_payment, manual_payment
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
                    outline: style.outlineStyle};
        }"""
    )


def test_keyboard_skip_link_branch_switch_and_visible_focus(live_server, page):
    desk = accounts_desk()
    GatewayConfigurationFactory(hospital=desk.hospital, branch=desk.city)
    log_in(page, live_server, desk.people["payments"].username)

    page.keyboard.press("Tab")
    assert focused(page) == {"tag": "A", "id": "", "text": "Skip to main content", "outline": "solid"}
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown while focused
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # Hospital-wide there is no gateway; the banner says so.
    assert page.locator("#gateways-off").is_visible()
    assert "in test mode" in page.locator("#gateways-off").inner_text()

    # Switch to City Clinic with the keyboard alone: focus the select, choose, Tab, Enter.
    page.focus("#scope-select")
    assert focused(page)["outline"] == "solid"
    page.keyboard.press("ArrowDown")  # all branches -> City Clinic
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Switch"
    page.keyboard.press("Enter")
    page.wait_for_selector(".message-success")

    assert (
        page.locator(".message-success").inner_text() == "You are now working in Asha Hospital · City Clinic."
    )
    assert page.locator("#scope-select option:checked").inner_text() == "Asha Hospital · City Clinic"
    assert page.locator("#gateways-off").count() == 0  # City Clinic has its own gateway
    screenshot(page, "workspace-home")


def test_the_layout_fits_a_tablet_and_the_navigation_is_reachable(live_server, browser_context):
    desk = accounts_desk()
    context = browser_context(viewport={"width": 768, "height": 1024}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["superuser"].username)

    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], sizes
    nav = page.locator("nav.site-nav a")
    assert nav.all_inner_texts() == [
        "Home",
        "Supplier payments",
        "Record a payment",
        "Approvals",
        "Batch payouts",
        "Bills",
        "Patient payments",
        "Gateway configurations",
        "Gateway transaction log",
        "Journal entries",
        "Reconciliation",
    ]
    for index in range(nav.count()):
        box = nav.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 768 and box["height"] >= 24

    page.select_option("#scope-select", label="Asha Hospital · Main Campus")
    page.click("text=Switch")
    # The banner may be on the page before the switch as well: wait for the switched one's text.
    expect(page.locator("#gateways-off")).to_contain_text("Asha Hospital · Main Campus")
    screenshot(page, "workspace-home-tablet")


def test_every_workspace_page_fits_a_tablet_without_sideways_scrolling(live_server, browser_context):
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    payout = manual_payment(desk.people["payments"], supplier, amount="125000.00")
    bill = BillFactory(branch=desk.main, number="OPD-1001", amount="2000.00")
    patient_payment = counter_payment(desk.people["payments"], bill, amount="500.00")
    page = browser_context(viewport={"width": 768, "height": 1024}, has_touch=True).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["superuser"].username)
    page.select_option("#scope-select", label="Asha Hospital · all branches")
    page.click("text=Switch")
    page.wait_for_selector(".message-success")

    for url in [
        "/workspace/payouts/",
        "/workspace/payouts/approvals/",
        f"/workspace/payouts/{payout['id']}/",
        "/workspace/payouts/new/",
        "/workspace/bills/",
        f"/workspace/bills/{bill.pk}/",
        "/workspace/patient-payments/",
        f"/workspace/patient-payments/{patient_payment['id']}/",
        "/workspace/reconciliation/",
    ]:
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], (url, sizes)
