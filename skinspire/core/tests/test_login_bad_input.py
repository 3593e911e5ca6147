"""The login pages (admin's login with its TOTP field, the two second-factor pages, the API's
token endpoint) given values no login should take: a form error or a 4xx, never a 500, no
one logged in, and every attempt that reached a check counted towards the lockout (axes).
A malformed second-factor code (too long, letters, NUL, 10,000 digits) is a wrong code,
counted exactly as one: it was a free try while the code field refused it uncounted."""

import itertools
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from knox.models import AuthToken

from skinspire.core.authentication.forms import WRONG_CODE
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import code_for, enrolled_device

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/auth/token/"
SECOND_FACTOR_URLS = ["/admin/two-factor/verify/", "/admin/two-factor/enrol/"]
NUL = "a\x00b"
# Past every column and field (AccessAttempt.username is 255), too long for a code, digits
# only a Unicode-aware parser reads as digits, an escaped NUL, a number past 64 bits.
HOSTILE = ["x" * 100_000, "0" * 33, "１２３４５６", "%00", "99999999999999999999"]
# Codes no authenticator shows: too long, letters, NUL, ten thousand digits (past int()'s
# 4,300), a number int() reads as a 6-digit code.
MALFORMED_CODES = ["1234567" * 5, "abcdef", "12\x003456", NUL, "1" * 10_000, "0" * 30 + "123456"]
_addresses = (f"198.51.100.{number}" for number in itertools.count(1))  # one each: counts apart


@pytest.fixture
def key_holder(settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    user = UserFactory(username="keyholder", hospital=None, is_superuser=True)
    enrolled_device(user)
    return user


def failures_from(address: str) -> int:
    return sum(
        AccessAttempt.objects.filter(ip_address=address).values_list("failures_since_start", flat=True)
    )


@pytest.mark.parametrize("field", ["username", "password", "otp_token"])
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_login_value_is_a_wrong_login_and_counted(key_holder, field, value):
    """An overlong username was a 500: axes' attempt record could not hold it."""
    address = next(_addresses)
    data = {"username": "keyholder", "password": PASSWORD, "otp_token": "123456", field: value}

    response = Client(raise_request_exception=False).post(LOGIN_URL, data, REMOTE_ADDR=address)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in response.client.session
    assert failures_from(address) == 1  # a code too long for any code too: a wrong code


@pytest.mark.parametrize("field", ["username", "password"])
def test_nul_in_a_login_is_a_400_before_any_check(key_holder, field):
    address = next(_addresses)
    data = {"username": "keyholder", "password": PASSWORD, "otp_token": "123456", field: NUL}

    response = Client().post(LOGIN_URL, data, REMOTE_ADDR=address)  # multipart, as the test client posts

    assert response.status_code == 400
    assert failures_from(address) == 0  # no password was checked: nothing to count


@pytest.mark.parametrize("username", ["x" * 100_000, "y" * 256])
def test_an_overlong_username_at_the_api_is_a_401_and_counted(api_client, username):
    address = next(_addresses)

    response = api_client.post(TOKEN_URL, {"username": username, "password": "x"}, REMOTE_ADDR=address)

    assert response.status_code == 401
    assert failures_from(address) == 1
    assert AccessAttempt.objects.get(ip_address=address).username == username[:255]


@pytest.mark.parametrize("code", [*MALFORMED_CODES, "123456"])
def test_a_malformed_code_at_the_admin_login_is_a_wrong_code_and_counted(key_holder, code):
    address = next(_addresses)
    data = {"username": "keyholder", "password": PASSWORD, "otp_token": code}

    response = Client(raise_request_exception=False).post(LOGIN_URL, data, REMOTE_ADDR=address)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_CODE]
    [code_input] = re.findall(r'<input[^>]*name="otp_token"[^>]*>', response.content.decode())
    assert "value=" not in code_input  # a code is not shown back
    assert "_auth_user_id" not in response.client.session
    assert failures_from(address) == 1


@pytest.mark.parametrize("value", [*HOSTILE, *MALFORMED_CODES, "%00", ""])
def test_a_hostile_second_factor_code_is_refused_and_counted(key_holder, value):
    client = Client(raise_request_exception=False)
    client.force_login(key_holder)  # password given, code pending
    address = next(_addresses)
    data = {"otp_token": value, "next": "/admin/core/branch/"}

    response = client.post(SECOND_FACTOR_URLS[0], data, REMOTE_ADDR=address)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "otp_token": [WRONG_CODE if value else "This field is required."]
    }
    assert client.get("/admin/core/branch/", REMOTE_ADDR=address).status_code == 302  # still pending
    assert failures_from(address) == (1 if value else 0)  # no code given: nothing was tried


@pytest.mark.parametrize("code", ["654321", *MALFORMED_CODES])
def test_malformed_codes_lock_the_login_like_wrong_ones(key_holder, settings, code):
    """Five wrong codes in a row, whatever their shape, lock the login (the right code is
    then refused too)."""
    device = key_holder.totpdevice_set.get()
    client = Client(raise_request_exception=False)
    client.force_login(key_holder)
    address = next(_addresses)

    answers = [
        client.post(SECOND_FACTOR_URLS[0], {"otp_token": code}, REMOTE_ADDR=address).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert failures_from(address) == settings.AXES_FAILURE_LIMIT
    assert "_auth_user_id" not in client.session  # logged out at the lock
    again = Client().post(
        LOGIN_URL,
        {"username": "keyholder", "password": PASSWORD, "otp_token": code_for(device)},
        REMOTE_ADDR=address,
    )
    assert again.status_code == 429


@pytest.mark.parametrize("code", [*MALFORMED_CODES, "123456"])
def test_a_malformed_code_at_the_api_is_a_401_and_counted(api_client, key_holder, code):
    address = next(_addresses)
    data = {"username": "keyholder", "password": PASSWORD, "otp_token": code}

    response = api_client.post(TOKEN_URL, data, REMOTE_ADDR=address)  # multipart, NUL and all

    assert response.status_code == 401
    assert response.json()["message"] == "Wrong or expired two-factor code."
    assert failures_from(address) == 1
    assert not AuthToken.objects.filter(user=key_holder).exists()


def test_nul_in_a_json_body_at_the_api_is_a_400_before_any_check(api_client, key_holder):
    """The JSON parser refuses the whole body (skinspire.core.json_input): no password is
    checked either, so nothing is learnt and nothing counted."""
    address = next(_addresses)
    data = {"username": "keyholder", "password": PASSWORD, "otp_token": NUL}

    response = api_client.post(TOKEN_URL, data, format="json", REMOTE_ADDR=address)

    assert response.status_code == 400
    assert failures_from(address) == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_on_the_login_pages_are_never_a_server_error(key_holder, method):
    client = Client(raise_request_exception=False)
    answers = {LOGIN_URL: getattr(client, method)(LOGIN_URL).status_code}
    client.force_login(key_holder)
    answers |= {url: getattr(client, method)(url).status_code for url in [*SECOND_FACTOR_URLS, TOKEN_URL]}

    assert all(status < 500 for status in answers.values()), answers
    assert "_auth_user_id" not in Client().session
    assert not AccessAttempt.objects.exists()
