"""Logins and failed logins, admin and API alike, from Django's auth signals.

A signal is the one hook every login path shares: admin's login view calls
`django.contrib.auth.login`, the API token view sends `user_logged_in` itself, and
`authenticate()` sends `user_login_failed` for both.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from skinspire.core.audit.services import audit_entry_record
from skinspire.core.client_ip import client_ip

ACTION_LOGIN = "auth.login"
ACTION_LOGIN_FAILED = "auth.login_failed"


def record_login(sender, request, user, **kwargs):
    audit_entry_record(
        action=ACTION_LOGIN,
        actor=user,
        target=user,
        ip_address=client_ip(request) if request is not None else None,
        message=f"Logged in at {request.path}" if request is not None else "Logged in",
    )


def record_login_failure(sender, credentials, request=None, **kwargs):
    """The attempted username is recorded only when it names a real account (then the entry
    targets that account, in its hospital). An unknown "username" is often a password
    typed into the wrong box, and this log can never be cleaned."""
    user_model = get_user_model()
    username = credentials.get(user_model.USERNAME_FIELD, "")
    target = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    where = f" at {request.path}" if request is not None else ""
    audit_entry_record(
        action=ACTION_LOGIN_FAILED,
        actor=None,
        target=target,
        ip_address=client_ip(request) if request is not None else None,
        message=f"Failed login for {target.get_username()!r}{where}"
        if target
        else f"Failed login for an unknown username{where}",
    )


def connect_receivers() -> None:
    user_logged_in.connect(record_login, dispatch_uid="skinspire.audit.login")
    user_login_failed.connect(record_login_failure, dispatch_uid="skinspire.audit.login_failed")
