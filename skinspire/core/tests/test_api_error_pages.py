"""An address under /api/ that nothing answers, or a server error there, is answered in the
API's one error shape, `{"message", "extra"}`: a script got the site's HTML page instead."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/nonexistent", "/api/payouts/payments/abc"])
def test_an_api_address_nothing_answers_is_a_json_404(url):
    response = Client().get(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"message": "Not found.", "extra": {}}


def test_a_page_address_nothing_answers_is_still_the_site_page():
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json_and_elsewhere_the_page():
    handler = get_resolver().resolve_error_handler(500)

    api = handler(RequestFactory().get("/api/payouts/payments/1"))
    page = handler(RequestFactory().get("/workspace/payouts/1/"))

    assert (api.status_code, api["Content-Type"]) == (500, "application/json")
    assert json.loads(api.content) == {
        "message": "The server could not finish this request; the error has been logged.",
        "extra": {},
    }
    assert page.status_code == 500 and b"<h1>Something went wrong</h1>" in page.content
