"""Repeated failed logins lock the username and the address (django-axes), and an admin can
unlock them (security issue #6, item 5)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from skinspire.core.tests.factories import UserFactory

LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/auth/token/"
PASSWORD = "correct-horse-battery"
LOCKED_MESSAGE = (
    "Too many failed logins: this login is locked for 30 minutes from the last attempt. "
    "An admin can unlock it sooner."
)


def admin_login(client, username, password, address="10.0.0.2"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def token_login(api_client, username, password, address):
    return api_client.post(TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def staff(db):
    return UserFactory(username="asha")


def test_fifty_wrong_admin_passwords_lock_out_after_five(client, staff, caplog):
    caplog.set_level(logging.WARNING)

    answered = [admin_login(client, "asha", f"guess-{i}").status_code for i in range(50)]

    assert answered == [200] * 4 + [429] * 46
    refused = admin_login(client, "asha", PASSWORD)
    assert refused.status_code == 429
    assert LOCKED_MESSAGE in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    locked_logs = [r.getMessage() for r in caplog.records if r.name == "skinspire.auth"]
    assert locked_logs[0] == "Login locked for 'asha' from 10.0.0.2 after 5 failed attempts at /admin/login/"
    assert len(locked_logs) == 47  # the locking attempt, 45 more wrong ones, the right one


def test_the_threshold_is_a_setting(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    answered = [admin_login(client, "asha", "wrong").status_code for _ in range(3)]
    assert answered == [200, 200, 429]


@pytest.mark.parametrize("proxy_count", [0, 1])
def test_one_username_from_many_addresses_is_locked(api_client, staff, settings, proxy_count):
    settings.TRUSTED_PROXY_COUNT = proxy_count

    def login(password, client_address):
        # With no trusted proxy the client is the peer; with one, the proxy's last entry.
        if proxy_count == 0:
            return token_login(api_client, "asha", password, client_address)
        return api_client.post(
            TOKEN_URL,
            {"username": "asha", "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    answered = [login("wrong", f"198.51.100.{i}").status_code for i in range(5)]
    refused = login(PASSWORD, "198.51.100.200")

    assert answered == [401] * 4 + [429]
    assert refused.status_code == 429
    assert refused.json() == {"message": LOCKED_MESSAGE, "extra": {"cool_off_seconds": 1800}}
    assert (
        token_login(api_client, UserFactory(username="ravi").username, PASSWORD, "198.51.100.201").status_code
        == 200
    )


def test_one_address_trying_many_usernames_is_locked(api_client, staff):
    answered = [token_login(api_client, f"nobody{i}", "wrong", "198.51.100.7").status_code for i in range(5)]

    assert answered == [401] * 4 + [429]
    assert token_login(api_client, "asha", PASSWORD, "198.51.100.7").status_code == 429
    assert token_login(api_client, "asha", PASSWORD, "198.51.100.8").status_code == 200


def test_rotating_forwarded_for_does_not_escape_the_address_lockout(api_client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    answered = [
        api_client.post(
            TOKEN_URL,
            {"username": f"nobody{i}", "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        ).status_code
        for i in range(5)
    ]
    assert answered == [401] * 4 + [429]


def test_an_admin_unlocks_in_admin(client, staff):
    for _ in range(5):
        admin_login(client, "asha", "wrong")
    assert admin_login(client, "asha", PASSWORD).status_code == 429
    superuser = UserFactory(hospital=None, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(superuser)

    attempts = list(AccessAttempt.objects.filter(username="asha").values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert admin_login(client, "asha", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_axes_reset_username_unlocks(client, staff):
    for _ in range(5):
        admin_login(client, "asha", "wrong")

    call_command("axes_reset_username", "asha")

    assert admin_login(client, "asha", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, staff):
    for _ in range(5):
        admin_login(client, "asha", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert admin_login(client, "asha", PASSWORD).status_code == 302


def test_failed_attempt_records_never_hold_the_password(client, staff):
    admin_login(client, "asha", "hunter2-secret")
    attempt = AccessAttempt.objects.get()
    assert "hunter2-secret" not in attempt.post_data
    assert attempt.failures_since_start == 1
