"""The workspace's form controls and top bar on a phone, in Chromium.

- iOS Safari zooms the page into any input, select or textarea whose text is smaller than
  16 px when it gets focus (and leaves it zoomed): below 600 px every visible one is at least
  16 px, on every page each role opens (workspace_pages.ROLE_PAGES, admin pages included)
  and the patient's pages, at 360 and 390 px. At 1280 px they keep their size.
- A long working scope (a 60-character branch name) is read whole at 360 px: the top bar
  shows it wrapped, never clipped, and the page does not scroll sideways.
- The keyboard goes through the top bar in the order the eye does: row by row, left to
  right, at 390 px; on a wide screen as before.
No Content-Security-Policy violation (the `browser_context` fixture)."""

import pytest
from playwright.sync_api import expect

from skinspire.core.tests.factories import BranchFactory
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk
from tests.browser.workspace_browser import log_in, screenshot
from tests.browser.workspace_pages import ROLE_PAGES, desk_with_every_page, open_patient_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = [360, 390]
SMALLEST = 16  # px: below it iOS zooms into a focused control
LONG_BRANCH = "Dr Radhakrishnan Memorial Paediatric and Maternity Wing East"  # 60 characters

# Every visible text-bearing control: its computed font size, and where it is (for the message).
SMALL_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter((control) => control.type !== "hidden" && control.checkVisibility())
    .map((control) => ({
        control: control.id || control.name || control.outerHTML.slice(0, 60),
        size: parseFloat(getComputedStyle(control).fontSize),
    }))"""

# The top bar's focusable elements that are shown, in the order of the eye: a row above
# another comes first (one's bottom above the other's top), within a row the left one first.
VISUAL_ORDER = """() => {
    const shown = [...document.querySelectorAll(
        ".site-header a, .site-header summary, .site-header select, .site-header button")]
        .filter((element) => element.checkVisibility());
    const boxes = new Map(shown.map((element) => [element, element.getBoundingClientRect()]));
    const before = (a, b) => {
        const one = boxes.get(a), other = boxes.get(b);
        if (one.bottom <= other.top) return -1;
        if (other.bottom <= one.top) return 1;
        return one.left - other.left;
    };
    return shown.sort(before).map(name);
}"""
NAME = """function name(element) {
    return element.id || element.textContent.trim().replace(/\\s+/g, " ");
}"""


def controls(page) -> list[dict]:
    return page.evaluate(SMALL_CONTROLS)


def too_small(page) -> list[dict]:
    return [control for control in controls(page) if control["size"] < SMALLEST]


@pytest.fixture
def desk():
    return desk_with_every_page()


def phone_of(browser_context, width: int):
    page = browser_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("person", EVERY_PERSON)
def test_on_a_phone_no_control_is_under_16_px(live_server, browser_context, desk, person, width):
    people, urls = desk
    phone = phone_of(browser_context, width)
    log_in(phone, live_server, people.people[person].username)
    seen, small = 0, []
    for name in ROLE_PAGES[person]:
        phone.goto(f"{live_server.url}{urls[name]}")
        for summary in phone.locator("details:not([open]) > summary").all():  # the Menu, the scope
            if summary.is_visible():
                summary.click()
        small += [(name, control) for control in too_small(phone)]
        seen += len(controls(phone))
    if "record" in ROLE_PAGES[person]:  # the add-account dialog's controls too
        phone.goto(f"{live_server.url}{urls['record']}")
        phone.select_option("#supplier", urls["supplier"])
        phone.click("#add-account")
        phone.wait_for_selector("#account-dialog[open]")
        small += [("record, the add-account dialog", control) for control in too_small(phone)]
    assert small == [], (person, width, small)
    # Not a check of nothing: the scope list on each workspace page, the admin's own fields.
    assert seen > len(ROLE_PAGES[person]), (person, seen)


@pytest.fixture
def patient_link(live_server, settings):
    return open_patient_link(live_server, settings)


@pytest.mark.parametrize("width", WIDTHS)
def test_on_a_phone_the_patients_pages_have_no_control_under_16_px(
    live_server, browser_context, patient_link, width
):
    phone = phone_of(browser_context, width)
    phone.goto(f"{live_server.url}/pay/link/{patient_link.token}")
    assert_patient_page_has_no_small_control(phone)
    phone.click("a.pay")  # the gateway's page (the sandbox's, standing for Razorpay's): not ours
    phone.click("button[value=success]")
    phone.wait_for_selector("[data-state=thanks]")
    assert_patient_page_has_no_small_control(phone)
    phone.click("text=See your receipt")
    phone.wait_for_selector("text=Payment receipt")
    assert_patient_page_has_no_small_control(phone)


def assert_patient_page_has_no_small_control(page) -> None:
    """A patient's pages ask nothing typed today (the link's button leads to the gateway):
    any control they show is checked, and one of each kind put into the page is 16 px too,
    so the next form on them is."""
    assert too_small(page) == []
    added = page.evaluate(
        """() => ["input", "select", "textarea"].map((tag) => {
            const control = document.createElement(tag);
            document.querySelector("main").append(control);
            const size = parseFloat(getComputedStyle(control).fontSize);
            control.remove();
            return size;
        })"""
    )
    assert added == [SMALLEST] * 3, added


def test_on_a_wide_screen_the_controls_keep_their_size(live_server, browser_context, desk):
    people, urls = desk
    page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, people.people["payments"].username, urls["payouts"])
    sizes = {control["control"]: control["size"] for control in controls(page)}
    # As before: the top bar's select 16 px, the filters' fields the body's 16 px.
    assert sizes["scope-select"] == 16
    assert set(sizes.values()) == {16}, sizes
    page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, people.people["superuser"].username, urls["admin_configurations"])
    # The admin's own sizes (Django's stylesheet) are left as they were on a wide screen.
    sizes = {control["control"]: control["size"] for control in controls(page)}
    assert (sizes["searchbar"], sizes["action"], sizes["_selected_action"]) == (13, 14, 13), sizes


@pytest.fixture
def long_scope_desk():
    desk = accounts_desk()
    branch = BranchFactory.create(hospital=desk.hospital, name=LONG_BRANCH)
    desk.people["payments"].branches.add(branch)
    desk.people["approver"].branches.set([branch])  # one branch: nothing to switch, the name alone
    return desk


def assert_read_whole(page, selector: str) -> None:
    """Nothing of `selector` is cut off inside it, it is inside a 360 px screen, and the page
    does not scroll sideways."""
    fits = page.locator(selector).evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            return {scroll: element.scrollWidth, client: element.clientWidth,
                    left: box.left, right: box.right};
        }"""
    )
    assert fits["scroll"] <= fits["client"], (selector, fits)
    assert fits["left"] >= 0 and fits["right"] <= 360, (selector, fits)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_at_360_px_a_long_scope_name_is_read_whole(live_server, browser_context, long_scope_desk):
    phone = phone_of(browser_context, 360)
    log_in(phone, live_server, long_scope_desk.people["payments"].username)
    full = f"Asha Hospital · {LONG_BRANCH}"
    phone.tap(".scope-switch > summary")
    phone.select_option("#scope-select", label=full)
    phone.click(".scope-form button")
    expect(phone.locator(".message-success")).to_have_text(f"You are now working in {full}.")

    current = phone.locator(".scope-current")
    expect(current).to_be_visible()
    expect(current).to_have_text(f"Working in {full}")
    assert_read_whole(phone, ".scope-current")
    screenshot(phone, "phone-top-bar-long-scope")
    # Still two rows of 44 px targets: the bar grows by the name's lines, four here (103 px
    # with a short name's two lines).
    header = phone.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 140, header
    for selector in (".site-name", ".scope-switch > summary", ".site-user button"):  # 44 x 44 px at least
        target = phone.locator(selector).bounding_box()
        assert target is not None and target["width"] >= 44 and target["height"] >= 44, (selector, target)

    # Open, the list and Switch are under the name, above Log out; the list cuts the name
    # (a select cannot wrap), which the line above shows whole.
    phone.tap(".scope-switch > summary")
    assert_read_whole(phone, ".scope-current")
    switch, log_out = (
        phone.locator(".scope-form button").bounding_box(),
        phone.locator(".site-user button").bounding_box(),
    )
    assert switch is not None and log_out is not None and switch["y"] + switch["height"] <= log_out["y"]


def visual_order(page) -> list[str]:
    return page.evaluate(f"(() => {{ {NAME}; return ({VISUAL_ORDER})(); }})()")


def tab_order(page, count: int) -> list[str]:
    """The next `count` elements the Tab key focuses, from the skip link on."""
    page.focus(".skip-link")
    focused = []
    for _ in range(count):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(f"(() => {{ {NAME}; return name(document.activeElement); }})()"))
    return focused


def test_at_390_px_the_keyboard_follows_the_top_bar_as_seen(live_server, browser_context):
    desk = accounts_desk()
    phone = phone_of(browser_context, 390)
    log_in(phone, live_server, desk.people["approver"].username)

    seen = visual_order(phone)
    assert seen == ["Skinspire Payments", "Working in Asha Hospital · all branches", "Log out"]
    assert tab_order(phone, len(seen) + 1) == [*seen, "Menu"]  # then the page below

    phone.keyboard.press("Shift+Tab")  # Log out
    phone.keyboard.press("Shift+Tab")  # the scope's line
    phone.keyboard.press("Enter")  # the scope opens: its list and Switch under its line, then Log out
    screenshot(phone, "phone-top-bar-scope-open")
    seen = visual_order(phone)
    assert seen == [
        "Skinspire Payments",
        "Working in Asha Hospital · all branches",
        "scope-select",
        "Switch",
        "Log out",
    ]
    assert tab_order(phone, len(seen) + 1) == [*seen, "Menu"]


def test_on_a_wide_screen_the_keyboard_order_is_as_before(live_server, browser_context):
    desk = accounts_desk()
    page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, desk.people["approver"].username)

    seen = visual_order(page)
    assert seen == ["Skinspire Payments", "scope-select", "Switch", "Log out"]
    assert tab_order(page, len(seen) + 1) == [*seen, "Home"]


def test_at_360_px_a_long_scope_name_is_read_whole_with_nothing_to_switch(
    live_server, browser_context, long_scope_desk
):
    phone = phone_of(browser_context, 360)
    log_in(phone, live_server, long_scope_desk.people["approver"].username)
    expect(phone.locator("#scope")).to_have_text(f"Working in Asha Hospital · {LONG_BRANCH}")
    expect(phone.locator("#scope-select")).to_have_count(0)
    assert_read_whole(phone, "#scope")
