"""A new user logs in from the home page and reads the API in Swagger UI and ReDoc, in Chromium,
with every request to another host refused and recorded (hospitals run on intranets)."""

from urllib.parse import urlsplit

import pytest

from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory, role_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offline_page(page, live_server):
    """The page, with requests anywhere but the live server aborted and listed in `.foreign`."""
    own = urlsplit(live_server.url).netloc
    page.foreign = []

    def route(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != own:
            page.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", route)
    return page


def test_a_new_user_reaches_swagger_ui_and_redoc_from_home(offline_page, live_server):
    page = offline_page
    user = UserFactory(username="asha")
    user.groups.add(role_group(ROLE_PAYMENTS_STAFF))

    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/admin/login/?next=/")
    page.fill("#id_username", "asha")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#roles strong").inner_text() == ROLE_PAYMENTS_STAFF

    page.click("text=API documentation (Swagger UI)")
    page.wait_for_url(f"{live_server.url}/api/docs/")
    token_operation = page.locator(".opblock-summary-path", has_text="/api/auth/token/")
    token_operation.wait_for()
    assert token_operation.get_attribute("data-path") == "/api/auth/token/"
    assert page.locator(".opblock-post .opblock-summary-path").count() >= 1

    page.goto(f"{live_server.url}/")
    page.click("text=API reference (ReDoc)")
    page.wait_for_url(f"{live_server.url}/api/redoc/")
    page.locator("h1", has_text="Skinspire Payments API").wait_for()
    page.locator("h2", has_text="auth_token_create").wait_for()
    assert "/api/auth/token/" in page.locator("body").inner_text()
    assert page.foreign == []
    assert page.locator("img[alt='redocly logo']").get_attribute("src") == "/static/skinspire/redoc-logo.svg"
