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
