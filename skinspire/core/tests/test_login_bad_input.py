"""The login pages (admin's login with its TOTP field, the two second-factor pages, the API's
token endpoint) given values no login should take: a form error or a 4xx, never a 500, no
one logged in, and every attempt that reached a check counted towards the lockout (axes)."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.test import Client

from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import enrolled_device

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/auth/token/"
SECOND_FACTOR_URLS = ["/admin/two-factor/verify/", "/admin/two-factor/enrol/"]
NUL = "a\x00b"
# Past every column and field (AccessAttempt.username is 255), too long for a code, digits
# only a Unicode-aware parser reads as digits, an escaped NUL, a number past 64 bits.
HOSTILE = ["x" * 100_000, "0" * 33, "１２３４５６", "%00", "99999999999999999999"]
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
    # A code longer than any code is refused by its field, never tried: nothing to count.
    assert failures_from(address) == (0 if field == "otp_token" and len(value) > 32 else 1)


@pytest.mark.parametrize("field", ["username", "password", "otp_token"])
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


@pytest.mark.parametrize("value", [*HOSTILE, NUL, ""])
def test_a_hostile_second_factor_code_is_refused_and_a_checked_one_counted(key_holder, value):
    client = Client(raise_request_exception=False)
    client.force_login(key_holder)  # password given, code pending
    address = next(_addresses)

    response = client.post(SECOND_FACTOR_URLS[0], {"otp_token": value, "next": value}, REMOTE_ADDR=address)

    assert response.status_code == 400
    assert client.get("/admin/core/branch/", REMOTE_ADDR=address).status_code == 302  # still pending
    checked = value not in ("x" * 100_000, "0" * 33, NUL, "")  # the form lets these reach the check
    assert failures_from(address) == (1 if checked else 0)


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_on_the_login_pages_are_never_a_server_error(key_holder, method):
    client = Client(raise_request_exception=False)
    answers = {LOGIN_URL: getattr(client, method)(LOGIN_URL).status_code}
    client.force_login(key_holder)
    answers |= {url: getattr(client, method)(url).status_code for url in [*SECOND_FACTOR_URLS, TOKEN_URL]}

    assert all(status < 500 for status in answers.values()), answers
    assert "_auth_user_id" not in Client().session
    assert not AccessAttempt.objects.exists()
