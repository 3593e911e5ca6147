"""Locked-out logins: the answer (axes calls lockout_response from its middleware), the
audit entry of a lock, and unlocking from admin."""

import logging

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import User

logger = logging.getLogger("skinspire.auth")

LOCKOUT_STATUS = 429
ACTION_LOCKOUT = "auth.lockout"
ACTION_UNLOCK = "auth.unlock"


# AccessAttempt.username's column (varchar 255): a longer "username" typed at a login failed
# the attempt's INSERT on PostgreSQL, a 500 instead of a wrong-login answer.
ATTEMPT_USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def attempt_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username axes counts failures under (AXES_USERNAME_CALLABLE): the one typed, as axes
    reads it by default, cut to what its records hold. So an overlong one is still counted, and
    no real username (150 characters at most) is changed."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:ATTEMPT_USERNAME_LENGTH] if isinstance(username, str) else username


def lockout_message(request: HttpRequest) -> str:
    cool_off = get_cool_off(request)
    if cool_off is None:
        return "Too many failed logins: this login is locked. Ask an admin to unlock it."
    minutes = int(cool_off.total_seconds() // 60)
    return (
        f"Too many failed logins: this login is locked for {minutes} minutes "
        "from the last attempt. An admin can unlock it sooner."
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The API gets the one error shape; people at the admin login get a page."""
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        cool_off = get_cool_off(request)
        extra = {"cool_off_seconds": int(cool_off.total_seconds())} if cool_off else {}
        return JsonResponse({"message": message, "extra": extra}, status=LOCKOUT_STATUS)
    return render(request, "admin/two_factor/locked_out.html", {"message": message}, status=LOCKOUT_STATUS)


def lockout_record(*, username: str | None, ip_address: str, path: str, failures: int | None) -> None:
    """Log every attempt made while locked; audit the one that locked the login."""
    account = _account_named(username)
    who = repr(account.get_username()) if account else "an unknown username"
    logger.warning(
        "Login locked for %s from %s after %s failed attempts at %s", who, ip_address, failures, path
    )
    if failures != settings.AXES_FAILURE_LIMIT:
        return  # axes signals again at each attempt while locked
    audit_entry_record(
        action=ACTION_LOCKOUT,
        actor=None,
        target=account,
        ip_address=ip_address,
        message=f"Login locked for {who} after {failures} failed attempts at {path}",
    )


def login_attempts_clear(*, attempts: QuerySet[AccessAttempt], actor) -> int:
    """Unlock: forget these failed attempts (what `manage.py axes_reset_username` does, but audited)."""
    cleared = list(attempts)
    with transaction.atomic():
        for attempt in cleared:
            account = _account_named(attempt.username)
            who = repr(account.get_username()) if account else "an unknown username"
            audit_entry_record(
                action=ACTION_UNLOCK,
                actor=actor,
                target=account,
                message=f"Login unlocked: {attempt.failures_since_start} failed attempts for {who} "
                f"from {attempt.ip_address} cleared",
            )
        AccessAttempt.objects.filter(pk__in=[attempt.pk for attempt in cleared]).delete()
    return len(cleared)


def _account_named(username: str | None):
    """The account, if `username` is one. Unknown usernames are not written down: they are
    often a password typed into the wrong box (see skinspire.core.audit.receivers)."""
    if not username:
        return None
    return User.objects.filter(username=username).first()
