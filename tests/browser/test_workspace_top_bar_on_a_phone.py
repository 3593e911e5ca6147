"""The workspace's top bar and the "gateway payments are switched off" banner on a phone
(360 x 640 px): two tight rows (the site's name and the scope, whose line opens for the
switch; then the user and Log out, so the bar reads in the page's order) and one banner line
that opens for the rest, so that the page's heading is on the first screen. Before, the top
bar was 186 px and the banner 194 px tall (380 px together, the heading's top at 465 px); now
103 + 45 px. Every control is still there, at least 44 x 44 px (WCAG 2.5.5), on the screen
and working. At 1280 px nothing moved; a patient's page, which
has no scope or user, is as before. No Content-Security-Policy violation (the
`browser_context` fixture)."""

import pytest
from playwright.sync_api import expect

from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk
from tests.browser.workspace_browser import (
    disclosure_as_read_out,
    heading_on_the_first_screen,
    log_in,
    screenshot,
    tab_to,
)
from tests.browser.workspace_pages import open_patient_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# The top bar and the banner together, at most (380 px before; three rows of 44 px targets
# and their padding: the scope switch, Log out and the banner's line cannot share a row).
COMPACT = 150
BANNER = "#gateways-off"
BANNER_LINE = f"{BANNER} summary"
SCOPE_LINE = ".scope-switch > summary"
CONTROLS = {
    "site name": ".site-name",
    "scope": SCOPE_LINE,
    "Log out": ".site-user button",
    "banner": BANNER_LINE,
}
SWITCH = {"scope": "#scope-select", "Switch": ".scope-form button"}  # shown when the scope's line is open
EXPLANATION = (
    "for Asha Hospital · all branches: no active gateway configuration in test mode. Manual payments "
    "(cash, cheque, card swipe, bank transfer recorded by hand) still work."
)


def box(page, selector: str) -> dict:
    """Where `selector` is on the screen, to the nearest pixel (text boxes fall on fractions)."""
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return {key: round(value) for key, value in found.items()}


@pytest.fixture
def desk():
    return accounts_desk()  # no gateway: the banner is on every page, and every role may switch branch


@pytest.fixture
def phone(browser_context):
    page = browser_context(**PHONE).new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_on_a_phone_the_top_bar_and_banner_are_compact_and_complete(live_server, phone, desk, person):
    user = desk.people[person]
    log_in(phone, live_server, user.username)

    header, banner = box(phone, ".site-header"), box(phone, BANNER)
    assert header["height"] + banner["height"] <= COMPACT, (person, header["height"], banner["height"])
    assert heading_on_the_first_screen(phone), person
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for name, selector in CONTROLS.items():  # each on the first screen, a 44 x 44 px target at least
        target = box(phone, selector)
        assert target["width"] >= 44 and target["height"] >= 44, (person, name, target)
        assert target["x"] >= 0 and target["x"] + target["width"] <= 360, (person, name, target)
        assert target["y"] >= 0 and target["y"] + target["height"] <= 640, (person, name, target)
    # Nothing left out: who is signed in, where they work, and the banner's headline.
    expect(phone.locator(".site-user span")).to_have_text(user.username)
    expect(phone.locator(SCOPE_LINE)).to_have_text("Working in Asha Hospital · all branches")
    expect(phone.locator("label[for=scope-select]")).to_have_text("Working in")
    expect(phone.locator("#scope-select")).to_be_hidden()
    assert disclosure_as_read_out(phone, "Working in Asha Hospital · all branches") == {
        "name": "Working in Asha Hospital · all branches",
        "expanded": False,
    }
    # The scope's line opens for the switch, under it in the first row, 44 x 44 px targets.
    phone.tap(SCOPE_LINE)
    expect(phone.locator("#scope-select option:checked")).to_have_text("Asha Hospital · all branches")
    for name, selector in SWITCH.items():
        target = box(phone, selector)
        assert target["width"] >= 44 and target["height"] >= 44, (person, name, target)
        assert target["x"] >= 0 and target["x"] + target["width"] <= 360, (person, name, target)
        assert target["y"] + target["height"] <= box(phone, ".site-user button")["y"], (person, name, target)
    phone.tap(SCOPE_LINE)
    expect(phone.locator(BANNER_LINE)).to_have_text("Gateway payments are switched off")
    expect(phone.locator(f"{BANNER} .banner-text")).to_be_hidden()
    assert disclosure_as_read_out(phone, "Gateway payments are switched off") == {
        "name": "Gateway payments are switched off",
        "expanded": False,
    }

    # The banner's line opens for the rest, as before.
    phone.tap(BANNER_LINE)
    text = phone.locator(f"{BANNER} .banner-text")
    expect(text).to_be_visible()
    expect(text).to_contain_text(EXPLANATION)
    assert disclosure_as_read_out(phone, "Gateway payments are switched off") == {
        "name": "Gateway payments are switched off",
        "expanded": True,
    }
    if person in ("gatewayadmin", "superuser"):
        link = text.get_by_role("link", name="Enable a gateway configuration")
        assert box(phone, f"{BANNER} .banner-text a")["height"] >= 44
        link.tap()
        phone.wait_for_url(f"{live_server.url}/admin/gateways/gatewayconfiguration/")
    else:
        expect(text).to_contain_text("Ask a gateway admin to enable one.")
    if person == "payments":
        screenshot(phone, "phone-top-bar-banner-open")


def test_on_a_phone_the_scope_switch_and_log_out_work_by_tap_and_keyboard(live_server, phone, desk):
    log_in(phone, live_server, desk.people["approver"].username)
    screenshot(phone, "phone-top-bar")

    phone.tap(SCOPE_LINE)
    phone.select_option("#scope-select", label="Asha Hospital · Main Campus")
    phone.tap(".scope-form button")
    expect(phone.locator(".message-success")).to_have_text(
        "You are now working in Asha Hospital · Main Campus."
    )
    expect(phone.locator(BANNER)).to_contain_text("for Asha Hospital · Main Campus:")
    assert heading_on_the_first_screen(phone)

    # From the keyboard, in the page's order, which is the bar's (as on a wide screen): the
    # site's name, the scope's line, Log out (under it, at the right), the Menu, then the
    # banner's line (tests/browser/test_workspace_controls_on_a_phone.py: with the scope open).
    tab_to(phone, "Skinspire Payments")
    focused = []
    for _ in range(3):
        phone.keyboard.press("Tab")
        focused.append(
            phone.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    assert focused == ["Working in Asha Hospital · Main Campus", "Log out", "Menu"]
    tab_to(phone, "Gateway payments are switched off")
    phone.keyboard.press("Enter")
    expect(phone.locator(f"{BANNER} .banner-text")).to_be_visible()

    phone.tap(".site-user button")
    phone.wait_for_url(f"{live_server.url}/admin/logout/")
    expect(phone.get_by_text("Log in again")).to_be_visible()


def test_on_a_wide_screen_the_top_bar_and_banner_are_as_before(live_server, browser_context, desk):
    page = browser_context(**DESKTOP).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["payments"].username)

    # Measured before the phone's layout: the top bar one row 54 px tall, the banner under
    # the navigation row at 122 px, two lines in the middle 1100 px, the heading at 228 px.
    header = box(page, ".site-header")
    assert (header["y"], header["height"]) == (0, 54)
    for selector in (
        ".site-name",
        "#scope-select",
        ".scope-form button",
        ".site-user span",
        ".site-user button",
    ):
        control = box(page, selector)
        assert control["y"] > 0 and control["y"] + control["height"] < 54, selector  # one row
    assert box(page, ".site-name")["x"] == 16
    assert box(page, ".site-user button")["x"] + box(page, ".site-user button")["width"] == 1264
    banner = box(page, BANNER)
    assert (banner["x"], banner["y"], banner["width"], banner["height"]) == (90, 122, 1100, 74)
    assert box(page, "main h1")["y"] == 228
    # The whole text shows, with no line to open.
    expect(page.locator(BANNER_LINE)).to_be_hidden()
    expect(page.locator(f"{BANNER} .banner-text")).to_have_text(
        f"Gateway payments are switched off {EXPLANATION} Ask a gateway admin to enable one."
    )


@pytest.fixture
def patient_link(live_server, settings):
    return open_patient_link(live_server, settings)


def test_a_patients_page_on_a_phone_keeps_its_own_header(live_server, phone, patient_link):
    phone.goto(f"{live_server.url}/pay/link/{patient_link.token}")

    assert phone.locator(".site-header-staff, .site-user, #scope, #gateways-off").count() == 0
    header = box(phone, ".site-header")
    assert phone.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    # As measured before the phone's layout: a 44 px bar, the name at (16, 10), the heading at 72 px.
    assert header["height"] == 44
    assert (box(phone, ".site-name")["x"], box(phone, ".site-name")["y"]) == (16, 10)
    assert box(phone, "main h1")["y"] == 72
    assert heading_on_the_first_screen(phone)
    expect(phone.locator("a.pay")).to_be_in_viewport()
