"""The token endpoint asks a key holder for a TOTP code when the setting requires it."""

import pytest
from axes.models import AccessAttempt
from knox.models import AuthToken

from skinspire.core.roles import ROLE_GATEWAY_ADMIN, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import code_for, enrolled_device, recovery_code_for

TOKEN_URL = "/api/auth/token/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def totp_required(settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True


@pytest.fixture
def gateway_admin(db):
    return UserFactory(username="gw", roles=[ROLE_GATEWAY_ADMIN])


def obtain(api_client, username="gw", **extra):
    return api_client.post(TOKEN_URL, {"username": username, "password": PASSWORD, **extra}, format="json")


def test_without_a_code_a_key_holder_is_refused(api_client, gateway_admin, totp_required):
    enrolled_device(gateway_admin)

    response = obtain(api_client)

    assert response.status_code == 401
    assert response.json() == {
        "message": "Your role needs a two-factor code: send otp_token with the code from your "
        "authenticator app (or a recovery code).",
        "extra": {},
    }
    assert not AuthToken.objects.exists()


def test_a_wrong_code_is_refused_and_counted(api_client, gateway_admin, totp_required):
    enrolled_device(gateway_admin)

    response = obtain(api_client, otp_token="12345x")

    assert response.status_code == 401
    assert response.json()["message"] == "Wrong or expired two-factor code."
    assert AccessAttempt.objects.get(username="gw").failures_since_start == 1
    assert not AuthToken.objects.exists()


def test_the_right_code_or_a_recovery_code_gets_a_token(api_client, gateway_admin, totp_required):
    device = enrolled_device(gateway_admin)

    assert obtain(api_client, otp_token=code_for(device)).status_code == 200
    assert obtain(api_client, otp_token=recovery_code_for(gateway_admin)).status_code == 200
    assert AuthToken.objects.filter(user=gateway_admin).count() == 2


def test_a_key_holder_not_enrolled_is_told_to_enrol(api_client, db, totp_required):
    UserFactory(username="root", hospital=None, is_superuser=True)

    response = obtain(api_client, username="root", otp_token="123456")

    assert response.status_code == 401
    assert response.json()["message"] == (
        "Your role needs two-factor authentication: set it up by logging in at /admin/ first."
    )


def test_other_roles_need_no_code(api_client, db, totp_required):
    UserFactory(username="payments", roles=[ROLE_PAYMENTS_STAFF])
    assert obtain(api_client, username="payments").status_code == 200


def test_with_the_setting_off_no_code_is_asked(api_client, gateway_admin, settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = False
    enrolled_device(gateway_admin)
    assert obtain(api_client).status_code == 200
