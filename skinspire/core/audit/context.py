"""Who and from where, for audit entries written during a request.

AuditContextMiddleware puts the request in a context variable for the length of the
request, so a service deep below a view or an admin page can be audited with the acting
user and their IP without every caller passing them down.
"""

from contextvars import ContextVar

from django.http import HttpRequest

from skinspire.core.client_ip import client_ip

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


class AuditContextMiddleware:
    """Place after AuthenticationMiddleware, so `request.user` is there to be read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_user():
    """The request's authenticated user (DRF sets it on the request too), else None.

    Read when the entry is written, not when the request arrived: API authentication
    happens inside the view."""
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def current_ip() -> str | None:
    request = _current_request.get()
    return client_ip(request) if request is not None else None
