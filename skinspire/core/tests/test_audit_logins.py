"""Admin and API logins, and failed logins, are in the audit log with the client's IP.

A failed login names the account only when the username is a real one: an unknown
"username" is often a password typed into the wrong box, and the log is never cleaned."""

import pytest
from django.urls import reverse

from skinspire.core.models import AuditEntry
from skinspire.core.tests.audit_helpers import audit_rows_text
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
WRONG_PASSWORD = "Wr0ng-but-close-horse-battery"
ADMIN_LOGIN_URL = reverse("admin:login")
TOKEN_URL = reverse("api-token")


def admin_login(client, username: str, password: str, ip: str):
    return client.post(
        ADMIN_LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_an_admin_login_is_recorded_with_who_and_ip(client, staff_user):
    response = admin_login(client, staff_user.username, PASSWORD, "192.0.2.21")

    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.hospital, entry.ip_address, entry.object_id) == (
        "auth.login",
        staff_user,
        staff_user.hospital,
        "192.0.2.21",
        str(staff_user.pk),
    )
    assert entry.message == "Logged in at /admin/login/"


def test_a_failed_admin_login_names_the_account_and_never_the_password(client, staff_user):
    response = admin_login(client, staff_user.username, WRONG_PASSWORD, "192.0.2.22")

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.hospital, entry.ip_address, entry.object_id) == (
        "auth.login_failed",
        None,
        staff_user.hospital,
        "192.0.2.22",
        str(staff_user.pk),
    )
    assert entry.message == f"Failed login for {staff_user.username!r} at /admin/login/"
    assert WRONG_PASSWORD not in audit_rows_text()


def test_a_failed_login_for_an_unknown_username_does_not_record_what_was_typed(client):
    typed = "S3cret-typed-as-username"

    admin_login(client, typed, WRONG_PASSWORD, "192.0.2.23")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.hospital, entry.content_type, entry.ip_address) == (
        "auth.login_failed",
        None,
        None,
        "192.0.2.23",
    )
    assert entry.message == "Failed login for an unknown username at /admin/login/"
    assert typed not in audit_rows_text()


def test_an_api_token_login_is_recorded_with_the_ip_behind_the_proxy(api_client, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = api_client.post(
        TOKEN_URL,
        {"username": staff_user.username, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.31",
    )

    assert response.status_code == 200
    # The token's creation is audited too (skinspire/core/tests/test_audit_authentication.py).
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.action, entry.actor, entry.ip_address, entry.message) == (
        "auth.login",
        staff_user,
        "198.51.100.31",
        "Logged in at /api/auth/token/",
    )
    staff_user.refresh_from_db()
    assert staff_user.last_login is not None


def test_a_failed_api_login_is_recorded(api_client):
    user = UserFactory()

    response = api_client.post(
        TOKEN_URL,
        {"username": user.username, "password": WRONG_PASSWORD},
        format="json",
        REMOTE_ADDR="198.51.100.32",
    )

    assert response.status_code == 401
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.hospital, entry.ip_address, entry.message) == (
        "auth.login_failed",
        None,
        user.hospital,
        "198.51.100.32",
        f"Failed login for {user.username!r} at /api/auth/token/",
    )
    assert WRONG_PASSWORD not in audit_rows_text()
