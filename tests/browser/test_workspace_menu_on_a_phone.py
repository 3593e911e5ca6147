"""The workspace's navigation on a phone (360 px): one "Menu" line, closed, so the page's
heading is on the first screen without scrolling; opened by a tap or from the keyboard, its
links work and the current page is marked (aria-current). A screen reader is told the Menu
is a disclosure and whether it is expanded (Chromium's accessibility tree). At 1280 px there
is no Menu line: the links show in a row above the page, as before. The patient's pages have
no menu. No Content-Security-Policy violation (the `browser_context` fixture)."""

import pytest
from playwright.sync_api import expect

from skinspire.workspace.navigation import NAVIGATION, SUPERUSER
from skinspire.workspace.tests.support import EVERY_PERSON, ROLE_OF, accounts_desk
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
MENU = "nav.site-nav summary"
LINKS = "nav.site-nav a"


def titles_of(person: str) -> list[str]:
    role = SUPERUSER if person == "superuser" else ROLE_OF[person]
    return [item.title for item in NAVIGATION if role in item.roles]


def visible_links(page) -> list[str]:
    links = page.locator(LINKS)
    return [links.nth(index).inner_text() for index in range(links.count()) if links.nth(index).is_visible()]


def current_link(page) -> str:
    return page.locator(f'{LINKS}[aria-current="page"]').inner_text()


@pytest.fixture
def desk():
    return accounts_desk()  # no gateway: the "switched off" banner is on every page, as tall as it gets


@pytest.fixture
def phone(browser_context):
    page = browser_context(**PHONE).new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_on_a_phone_the_menu_is_closed_and_its_links_work(live_server, phone, desk, person):
    log_in(phone, live_server, desk.people[person].username)
    titles = titles_of(person)

    assert heading_on_the_first_screen(phone), person
    assert visible_links(phone) == []
    expect(phone.locator(MENU)).to_be_visible()
    assert disclosure_as_read_out(phone, "Menu") == {"name": "Menu", "expanded": False}

    phone.tap(MENU)
    assert visible_links(phone) == titles
    assert disclosure_as_read_out(phone, "Menu") == {"name": "Menu", "expanded": True}
    assert current_link(phone) == "Home"
    for index in range(len(titles)):  # each a full-width target on the screen
        box = phone.locator(LINKS).nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 40
    if person == "payments":
        screenshot(phone, "phone-menu-open")

    link = phone.locator(f"{LINKS} >> text={titles[1]}")
    address = f"{live_server.url}{link.get_attribute('href')}"
    link.tap()
    phone.wait_for_url(address)
    if address.startswith(f"{live_server.url}/workspace/"):  # admin's pages have a layout of their own
        assert heading_on_the_first_screen(phone), (person, phone.url)
        assert visible_links(phone) == []
        phone.tap(MENU)
        assert current_link(phone) == titles[1]


def test_on_a_phone_the_menu_opens_from_the_keyboard(live_server, phone, desk):
    log_in(phone, live_server, desk.people["accountant"].username)

    tab_to(phone, "Menu")
    phone.keyboard.press("Enter")
    assert disclosure_as_read_out(phone, "Menu") == {"name": "Menu", "expanded": True}
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Home"
    tab_to(phone, "Reconciliation")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{live_server.url}/workspace/reconciliation/")
    assert heading_on_the_first_screen(phone)

    tab_to(phone, "Menu")
    phone.keyboard.press("Space")
    assert current_link(phone) == "Reconciliation"
    phone.keyboard.press("Space")  # closes again
    assert visible_links(phone) == []
    assert disclosure_as_read_out(phone, "Menu") == {"name": "Menu", "expanded": False}


def test_on_a_wide_screen_the_links_show_in_a_row_as_before(live_server, browser_context, desk):
    page = browser_context(**DESKTOP).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["superuser"].username)

    expect(page.locator(MENU)).to_be_hidden()
    assert visible_links(page) == titles_of("superuser")
    boxes = [page.locator(LINKS).nth(index).bounding_box() for index in range(len(titles_of("superuser")))]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[6]["y"], "the first links share one row"
    assert max(box["y"] + box["height"] for box in boxes) < 200, "the links stay above the page"
    assert current_link(page) == "Home"

    tab_to(page, "Bills")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/workspace/bills/")
    assert current_link(page) == "Bills"
    page.click(f"{LINKS} >> text=Patient payments")
    page.wait_for_url(f"{live_server.url}/workspace/patient-payments/")
    assert current_link(page) == "Patient payments"


def test_a_phone_opened_menu_stays_shown_when_the_screen_widens(live_server, phone, desk):
    log_in(phone, live_server, desk.people["payments"].username)
    phone.tap(MENU)
    phone.set_viewport_size(DESKTOP["viewport"])

    expect(phone.locator(MENU)).to_be_hidden()
    assert visible_links(phone) == titles_of("payments")


@pytest.fixture
def patient_link(live_server, settings):
    return open_patient_link(live_server, settings)


def test_the_patients_page_has_no_menu(live_server, phone, patient_link):
    phone.goto(f"{live_server.url}/pay/link/{patient_link.token}")

    assert phone.locator("nav, details, summary").count() == 0
    assert heading_on_the_first_screen(phone)
    expect(phone.locator("a.pay")).to_be_in_viewport()
