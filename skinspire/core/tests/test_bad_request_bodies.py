"""The API answers unreadable input with a 400 in its one error shape, never a 500."""

import itertools

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from skinspire.core.middleware import MESSAGE as NUL_MESSAGE
from skinspire.core.tests import bad_input
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
# 2 KB: the body that was a 500 (RecursionError) on the token endpoint, without logging in.
DEEP_BODY = b"[" * 1000 + b"]" * 1000
# Each test calls from its own address (TEST-NET-3), so the token endpoint's anonymous rate
# limit, whose counts live in the shared cache, is not spent for other tests.
_addresses = (f"203.0.113.{number}" for number in itertools.count(1))


@pytest.fixture
def api_client():
    return APIClient(REMOTE_ADDR=next(_addresses))


def test_a_body_nested_1000_deep_is_a_400_on_the_token_endpoint(api_client):
    response = api_client.post(TOKEN_URL, data=DEEP_BODY, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "message": "JSON parse error - The JSON is nested more than 32 levels deep.",
        "extra": {},
    }
    assert AuthToken.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"username": "asha\\u0000", "password": "x"}', "a NUL character or a lone surrogate"),
        (b'{"username": "\\ud800", "password": "x"}', "a NUL character or a lone surrogate"),
        (b'{"username": "asha", "password": NaN}', "NaN is not a JSON value."),
        (b'{"username": "asha", "password": 1e999}', "a number out of range"),
        (b'{"username": "\xff\xfe"}', "is not utf-8 text"),
        (b'{"username": ', "not valid JSON"),
    ],
)
def test_json_the_api_cannot_hold_is_a_400_in_the_error_shape(api_client, body, message):
    UserFactory(username="asha")

    response = api_client.post(TOKEN_URL, data=body, content_type="application/json")

    assert response.status_code == 400
    assert message in response.json()["message"]
    assert response.json()["extra"] == {}
    assert AuthToken.objects.count() == 0


def test_nul_in_a_form_body_is_a_400_in_the_api_error_shape(api_client):
    UserFactory(username="asha")

    response = api_client.post(
        TOKEN_URL,
        data="username=asha%00&password=correct-horse-battery",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert response.json() == {"message": NUL_MESSAGE, "extra": {}}
    assert AuthToken.objects.count() == 0


def test_nul_in_the_url_is_a_400_in_the_api_error_shape(api_client):
    response = api_client.get("/api/schema/?format=json&search=%00")

    assert response.status_code == 400
    assert response.json() == {"message": NUL_MESSAGE, "extra": {}}


def test_nul_in_a_page_url_is_django_s_own_400_page(client):
    response = client.get("/admin/login/?next=%00")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("content_type", ["application/json; charset=hex", "application/json; x*=nosuch''a"])
def test_a_content_type_django_cannot_read_reaches_the_api_which_reads_utf8(content_type):
    """Through the real WSGI entry point: these were 500s inside Django, before any view."""
    UserFactory(username="asha")
    client = bad_input.wsgi_client()

    unreadable = bad_input.send_isolated(
        bad_input.FuzzRequest("POST", TOKEN_URL, b"\xff", content_type), client
    )
    wrong_password = bad_input.send_isolated(
        bad_input.FuzzRequest("POST", TOKEN_URL, b'{"username": "asha", "password": "x"}', content_type),
        client,
    )

    assert (unreadable.status_code, unreadable.json["extra"]) == (400, {})
    assert unreadable.json["message"] == "JSON parse error - the body is not utf-8 text."
    assert (wrong_password.status_code, wrong_password.json) == (
        401,
        {"message": "Wrong username or password.", "extra": {}},
    )
