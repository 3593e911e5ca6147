import pytest

from skinspire.core.tests.factories import UserFactory


@pytest.mark.django_db
def test_token_for_valid_credentials_authenticates_later_calls(api_client):
    UserFactory(username="asha")
    response = api_client.post("/api/auth/token/", {"username": "asha", "password": "correct-horse-battery"})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/schema/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_a_401_in_the_one_error_shape(api_client):
    UserFactory(username="asha")
    response = api_client.post("/api/auth/token/", {"username": "asha", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"message": "Wrong username or password.", "extra": {}}


@pytest.mark.django_db
def test_missing_fields_are_field_errors_under_extra(api_client):
    response = api_client.post("/api/auth/token/", {"username": "asha"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Please correct the errors below."
    assert body["extra"]["fields"] == {"password": ["This field is required."]}


@pytest.mark.django_db
def test_unauthenticated_schema_request_is_refused(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.django_db
def test_swagger_ui_is_served_to_a_logged_in_user(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


@pytest.mark.django_db
def test_swagger_ui_sends_an_anonymous_browser_to_log_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/api/docs/"
