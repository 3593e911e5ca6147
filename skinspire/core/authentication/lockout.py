"""What a locked-out login is answered with (axes calls lockout_response from its middleware)."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKOUT_STATUS = 429


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


def login_attempts_clear(*, attempts: QuerySet[AccessAttempt]) -> int:
    """Unlock: forget these failed attempts (what `manage.py axes_reset_username` does)."""
    count = attempts.count()
    attempts.delete()
    return count
