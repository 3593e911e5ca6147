"""Key holders (superusers, Gateway admins) need a TOTP code for admin when the setting says
so; everyone else logs in as before (security issue #6, item 12). Codes are computed here
with django_otp.oath.totp, as a phone would."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from skinspire.core.roles import ROLE_GATEWAY_ADMIN, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import (
    after_throttle_wait,
    code_for,
    enrolled_device,
    recovery_code_for,
)

PASSWORD = "correct-horse-battery"
ENROL_URL = "/admin/two-factor/enrol/"
VERIFY_URL = "/admin/two-factor/verify/"


@pytest.fixture
def totp_required(settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True


@pytest.fixture(params=["superuser", "gateway admin"])
def key_holder(request, db):
    if request.param == "superuser":
        return UserFactory(username="keyholder", hospital=None, is_superuser=True)
    return UserFactory(username="keyholder", roles=[ROLE_GATEWAY_ADMIN])


def login(client, username="keyholder", password=PASSWORD, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password, **extra})


def test_a_key_holder_not_enrolled_is_sent_to_enrolment_and_sees_no_admin_page(
    client, key_holder, totp_required
):
    assert login(client).status_code == 302

    for page in ["/admin/", "/admin/core/hospital/", "/admin/knox/authtoken/"]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL_URL}?next={page.replace('/', '%2F')}"
    assert client.get("/api/schema/?format=json").status_code == 401


def test_enrolment_browser_free(client, key_holder, totp_required):
    login(client)
    page = client.get(f"{ENROL_URL}?next=/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=key_holder, confirmed=False)
    # The QR code is an SVG made here, inline; no page resource comes from another host.
    qr = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(qr).startswith(b"<svg")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html

    wrong = client.post(ENROL_URL, {"otp_token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 302
    throttled = client.post(ENROL_URL, {"otp_token": code_for(device)})
    assert "Too many wrong codes in a row" in throttled.content.decode()
    after_throttle_wait(device)

    done = client.post(ENROL_URL, {"otp_token": code_for(device), "next": "/admin/"})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert sorted(
        StaticDevice.objects.get(user=key_holder).token_set.values_list("token", flat=True)
    ) == sorted(codes)
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/schema/?format=json").status_code == 200


def test_an_enrolled_key_holder_needs_the_code_to_log_in(client, key_holder, totp_required):
    device = enrolled_device(key_holder)

    without = login(client)
    assert without.status_code == 200
    assert "Enter the two-factor code from your authenticator app." in without.content.decode()
    assert "_auth_user_id" not in client.session

    wrong = login(client, otp_token="12345x")
    assert "Wrong or expired two-factor code." in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="keyholder").failures_since_start == 1

    assert login(client, otp_token=code_for(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client, key_holder, totp_required):
    enrolled_device(key_holder)
    code = recovery_code_for(key_holder)

    assert login(client, otp_token=code).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert login(client, otp_token=code).status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_login_like_wrong_passwords(client, key_holder, totp_required):
    device = enrolled_device(key_holder)
    answered = [login(client, otp_token="99999" + str(i)).status_code for i in range(5)]

    assert answered == [200] * 4 + [429]
    assert login(client, otp_token=code_for(device)).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_session_without_the_code_is_asked_for_it(client, key_holder, totp_required):
    device = enrolled_device(key_holder)
    client.force_login(key_holder)  # e.g. logged in before TOTP was required

    response = client.get("/admin/core/branch/")
    assert response["Location"] == f"{VERIFY_URL}?next=%2Fadmin%2Fcore%2Fbranch%2F"
    wrong = client.post(VERIFY_URL, {"otp_token": "12345x", "next": "/admin/core/branch/"})
    assert wrong.status_code == 400
    assert client.get("/admin/core/branch/").status_code == 302

    verified = client.post(
        VERIFY_URL, {"otp_token": code_for(device, steps_ahead=1), "next": "/admin/core/branch/"}
    )
    assert verified.status_code == 302
    assert verified["Location"] == "/admin/core/branch/"
    assert client.get("/admin/core/branch/").status_code == 200


def test_verify_does_not_redirect_off_site(client, key_holder, totp_required):
    device = enrolled_device(key_holder)
    client.force_login(key_holder)
    verified = client.post(VERIFY_URL, {"otp_token": code_for(device), "next": "https://evil.example/"})
    assert verified["Location"] == "/admin/"


def test_a_pending_key_holder_can_log_out(client, key_holder, totp_required):
    login(client)
    assert client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [ROLE_PAYMENTS_STAFF, None])
def test_other_roles_are_unaffected(client, db, totp_required, role):
    UserFactory(username="staff", roles=[role] if role else [])
    assert login(client, username="staff").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_with_the_setting_off_a_key_holder_logs_in_with_a_password(client, key_holder, settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = False
    assert login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_admin_resets_a_lost_authenticator(client, key_holder, totp_required):
    enrolled_device(key_holder)
    recovery_code_for(key_holder)
    superuser = UserFactory(username="root", hospital=None, is_superuser=True)
    client.force_login(superuser)
    session = client.session
    session["otp_device_id"] = enrolled_device(superuser).persistent_id
    session.save()

    response = client.post(
        "/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [key_holder.pk]}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=key_holder).exists()
    assert not StaticDevice.objects.filter(user=key_holder).exists()
    client.logout()
    login(client)
    assert client.get("/admin/")["Location"].startswith(ENROL_URL)
