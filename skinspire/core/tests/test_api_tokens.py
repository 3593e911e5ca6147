"""API tokens are stored as digests, expire, and can be revoked (security issue #6, item 2)."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken

from skinspire.core.tests.factories import UserFactory

TOKEN_URL = "/api/auth/token/"
PROTECTED_URL = "/api/schema/?format=json"
PASSWORD = "correct-horse-battery"


def obtain(api_client, username="asha", **kwargs) -> dict:
    response = api_client.post(TOKEN_URL, {"username": username, "password": PASSWORD}, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()


def call_with(api_client, token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client.get(PROTECTED_URL)


@pytest.fixture
def asha(db):
    return UserFactory(username="asha")


@pytest.mark.parametrize("body_format", ["multipart", "json"])
def test_token_and_expiry_from_form_or_json(api_client, asha, body_format):
    before = timezone.now()
    body = obtain(api_client, format=body_format)
    after = timezone.now()

    assert set(body) == {"token", "expiry"}
    assert len(body["token"]) == 64
    expiry = parse_datetime(body["expiry"])
    assert before + timedelta(hours=10) <= expiry <= after + timedelta(hours=10)
    assert call_with(api_client, body["token"]).status_code == 200


def test_the_database_holds_only_a_digest(api_client, asha):
    token = obtain(api_client)["token"]

    stored = AuthToken.objects.get(user=asha)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    # knox keeps the first 15 characters to find the row; the other 49 (196 bits) are secret.
    assert stored.token_key == token[:15]
    values = [str(getattr(stored, field.attname)) for field in AuthToken._meta.concrete_fields]
    assert not any(token in value for value in values)
    assert "authtoken_token" not in connection.introspection.table_names()


def test_token_lifetime_follows_the_setting(api_client, asha, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=1)}
    before = timezone.now()
    expiry = parse_datetime(obtain(api_client)["expiry"])
    assert before + timedelta(hours=1) <= expiry <= timezone.now() + timedelta(hours=1)


def test_an_expired_token_is_refused_and_deleted(api_client, asha):
    token = obtain(api_client)["token"]
    AuthToken.objects.filter(user=asha).update(expiry=timezone.now() - timedelta(seconds=1))

    response = call_with(api_client, token)

    assert response.status_code == 401
    assert response.json() == {"message": "Invalid token.", "extra": {}}
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=asha).exists()


def test_logout_revokes_only_the_token_it_was_called_with(api_client, asha):
    first, second = obtain(api_client)["token"], obtain(api_client)["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.post("/api/auth/logout/").status_code == 204

    assert call_with(api_client, first).status_code == 401
    assert call_with(api_client, second).status_code == 200
    assert AuthToken.objects.filter(user=asha).count() == 1


def test_logout_all_revokes_every_token_of_the_user(api_client, asha):
    other_user_token = obtain(api_client, username=UserFactory(username="ravi").username)["token"]
    first, second = obtain(api_client)["token"], obtain(api_client)["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api_client.post("/api/auth/logout-all/").status_code == 204

    assert call_with(api_client, first).status_code == 401
    assert call_with(api_client, second).status_code == 401
    assert call_with(api_client, other_user_token).status_code == 200


def test_logout_without_a_token_is_a_401(api_client, asha):
    response = api_client.post("/api/auth/logout/")
    assert response.status_code == 401
    assert AuthToken.objects.count() == 0


def test_an_admin_revokes_a_token_in_admin(api_client, client, asha):
    token = obtain(api_client)["token"]
    stored = AuthToken.objects.get(user=asha)
    client.force_login(UserFactory(hospital=None, is_superuser=True))

    response = client.post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [stored.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=asha).exists()
    assert call_with(api_client, token).status_code == 401


def test_admin_lists_tokens_by_prefix_and_cannot_mint_them(api_client, client, asha):
    token = obtain(api_client)["token"]
    client.force_login(UserFactory(hospital=None, is_superuser=True))

    listing = client.get("/admin/knox/authtoken/")

    assert listing.status_code == 200
    assert token[:15] in listing.content.decode()
    assert token not in listing.content.decode()
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
