"""Token creation and revocation, lockouts, unlocks, TOTP enrolment and reset are audited.

Entries name a token by knox's 15-character lookup prefix only, and a locked-out username
only when it is a real account."""

import pytest
from axes.models import AccessAttempt
from knox.models import AuthToken

from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.audit_helpers import audit_rows_text
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import code_for, enrolled_device

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOKEN_URL = "/api/auth/token/"


def entries(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def obtain(api_client, user, address="192.0.2.40"):
    response = api_client.post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 200
    return response.json()["token"]


def superuser_client(client):
    client.force_login(UserFactory(username="root", hospital=None, is_superuser=True))
    return client


def test_token_creation_is_audited_without_the_token(api_client, staff_user):
    token = obtain(api_client, staff_user)

    [entry] = entries("auth.token_create")
    stored = AuthToken.objects.get(user=staff_user)
    assert (entry.actor, entry.object_id, entry.hospital, entry.ip_address) == (
        staff_user,
        str(staff_user.pk),
        staff_user.hospital,
        "192.0.2.40",
    )
    assert entry.message == f"API token {token[:15]}… created, expires {stored.expiry.isoformat()}"
    assert token not in audit_rows_text()
    assert stored.digest not in audit_rows_text()


@pytest.mark.parametrize(
    ("path", "reason"), [("/api/auth/logout/", "logout"), ("/api/auth/logout-all/", "logout-all")]
)
def test_logout_is_audited_per_token(api_client, staff_user, path, reason):
    first, second = obtain(api_client, staff_user), obtain(api_client, staff_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")

    assert api_client.post(path, REMOTE_ADDR="192.0.2.41").status_code == 204

    revoked = [second] if reason == "logout" else [first, second]
    found = entries("auth.token_revoke")
    assert sorted(entry.message for entry in found) == sorted(
        f"API token {token[:15]}… revoked ({reason})" for token in revoked
    )
    assert {(entry.actor, entry.object_id, entry.ip_address) for entry in found} == {
        (staff_user, str(staff_user.pk), "192.0.2.41")
    }


def test_revocation_by_an_admin_names_the_admin(api_client, client, staff_user):
    token = obtain(api_client, staff_user)
    admin_client = superuser_client(client)

    admin_client.post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [AuthToken.objects.get().pk], "post": "yes"},
    )

    [entry] = entries("auth.token_revoke")
    assert (entry.actor_username, entry.object_id, entry.message) == (
        "root",
        str(staff_user.pk),
        f"API token {token[:15]}… revoked (admin)",
    )


def test_a_lockout_is_audited_once(client, staff_user):
    for _ in range(7):
        client.post(
            "/admin/login/", {"username": staff_user.username, "password": "nope"}, REMOTE_ADDR="192.0.2.42"
        )

    [entry] = entries("auth.lockout")
    assert (entry.actor, entry.object_id, entry.hospital, entry.ip_address) == (
        None,
        str(staff_user.pk),
        staff_user.hospital,
        "192.0.2.42",
    )
    assert (
        entry.message == f"Login locked for {staff_user.username!r} after 5 failed attempts at /admin/login/"
    )


def test_a_lockout_of_unknown_usernames_does_not_write_them_down(api_client, db):
    for i in range(5):
        api_client.post(
            TOKEN_URL, {"username": f"Typed-Secret-{i}", "password": "x"}, REMOTE_ADDR="192.0.2.43"
        )

    [entry] = entries("auth.lockout")
    assert (entry.object_id, entry.ip_address) == ("", "192.0.2.43")
    assert entry.message == "Login locked for an unknown username after 5 failed attempts at /api/auth/token/"
    assert "Typed-Secret" not in audit_rows_text()


def test_an_unlock_in_admin_is_audited(client, staff_user):
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": staff_user.username, "password": "nope"}, REMOTE_ADDR="192.0.2.44"
        )
    attempt = AccessAttempt.objects.get()
    admin_client = superuser_client(client)

    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    [entry] = entries("auth.unlock")
    assert (entry.actor_username, entry.object_id) == ("root", str(staff_user.pk))
    assert entry.message == (
        f"Login unlocked: 5 failed attempts for {staff_user.username!r} from 192.0.2.44 cleared"
    )
    assert not AccessAttempt.objects.exists()


def test_totp_enrolment_and_reset_are_audited(client, settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    key_holder = UserFactory(username="gw", roles=[ROLE_GATEWAY_ADMIN])
    client.post("/admin/login/", {"username": "gw", "password": PASSWORD}, REMOTE_ADDR="192.0.2.45")
    client.get("/admin/two-factor/enrol/")
    device = key_holder.totpdevice_set.get()
    client.post("/admin/two-factor/enrol/", {"otp_token": code_for(device)}, REMOTE_ADDR="192.0.2.45")

    [enrolled] = entries("auth.totp_enrol")
    assert (enrolled.actor, enrolled.object_id, enrolled.ip_address, enrolled.message) == (
        key_holder,
        str(key_holder.pk),
        "192.0.2.45",
        "Authenticator app set up; 10 recovery codes issued",
    )

    root = UserFactory(username="root", hospital=None, is_superuser=True)
    client.force_login(root)
    session = client.session
    session["otp_device_id"] = enrolled_device(root).persistent_id
    session.save()
    client.post("/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [key_holder.pk]})

    [reset] = entries("auth.totp_reset")
    assert (reset.actor, reset.object_id, reset.message) == (
        root,
        str(key_holder.pk),
        "Two-factor authentication reset: 2 devices removed",
    )
