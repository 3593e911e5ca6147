"""Helpers of the workspace's browser tests."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "correct-horse-battery"


def log_in(page, live_server, username: str, next_url: str = "/") -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def screenshot(page, name: str) -> None:
    """Kept as artefacts for the user guide (var/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def tab_to(page, text: str, *, limit: int = 80) -> int:
    """Press Tab until the focused element's text is `text`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return presses
    raise AssertionError(f"{text!r} is not reachable with the Tab key")


def heading_on_the_first_screen(page) -> bool:
    """The page's main heading is wholly on the first screen, without scrolling."""
    return page.evaluate(
        """() => {
            const box = document.querySelector("main h1").getBoundingClientRect();
            return scrollY === 0 && box.top >= 0 && box.bottom <= innerHeight;
        }"""
    )


def disclosure_as_read_out(page, name: str) -> dict:
    """A <details> summary as Chromium gives it to a screen reader: a disclosure, its name and
    expanded state."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    for node in nodes:
        if node["role"]["value"] == "DisclosureTriangle" and node["name"]["value"] == name:
            properties = {item["name"]: item["value"]["value"] for item in node.get("properties", [])}
            return {"name": name, "expanded": properties.get("expanded")}
    raise AssertionError(f"no disclosure named {name!r} in the accessibility tree")
