"""The webhook receivers, dispatched before the middleware they have no use for.

A gateway's delivery carries no cookie, no session, no user and no CSRF token (the
signature is its authentication), yet behind the whole stack it paid for URL resolution
over every route of the site, a CSP policy built from settings on each response, and the
session, CSRF, authentication, OTP, audit, messages and axes layers, none of which it
reads. This middleware sits right after SecurityMiddleware (which still answers for the
request and response: SSL redirect, HSTS, nosniff, referrer and opener policies): a POST
or any other method to exactly one of the receivers' paths goes straight to its view, and
the response gets the headers the skipped layers would have given a JSON answer (the
site's CSP, built once per process, and X-Frame-Options). Every other path goes on down
the stack as before, and so does a receiver path with a trailing character (it 404s there).

What the skipped layers would otherwise guard does not reach the view: it reads no query
string and no form (NullCharacterMiddleware's concern; its path is an exact constant),
serves no static file (WhiteNoise), and the request is not wrapped in a transaction
(ATOMIC_REQUESTS is off; the view commits its one row itself).
"""

from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, get_script_prefix, resolve, reverse

# The receivers' URL names (skinspire/gateways/webhooks/urls.py); their paths come from
# the URLconf, so they follow it.
RECEIVER_URL_NAMES = ("gateway-webhook-razorpay", "gateway-webhook-paytm")

_routes: dict[str, dict[str, Callable]] = {}
# Built whole, then swapped in: a thread serving a delivery while another (re)builds it
# reads either the old tuple or the new one, never a half-filled list.
_headers: list[tuple[tuple[str, str], ...] | None] = [None]


def _receivers() -> dict[str, Callable]:
    """path -> view for the current URLconf, resolved once per process and URLconf."""
    urlconf = settings.ROOT_URLCONF
    routes = _routes.get(urlconf)
    if routes is None:
        prefix = get_script_prefix()  # reverse() adds it; path_info has none
        routes = {}
        for name in RECEIVER_URL_NAMES:
            try:
                path = "/" + reverse(name).removeprefix(prefix).lstrip("/")
            except NoReverseMatch:  # a URLconf without the receivers: nothing to dispatch
                continue
            routes[path] = resolve(path).func
        _routes[urlconf] = routes
    return routes


def _security_headers() -> tuple[tuple[str, str], ...]:
    """The headers CSPMiddleware and XFrameOptionsMiddleware give a response without
    per-view CSP changes, built once (the policy depends on settings only)."""
    headers = _headers[0]
    if headers is None:
        built = []
        policy = build_policy()
        if policy:
            built.append((HEADER, policy))
        report_only = build_policy(report_only=True)
        if report_only:
            built.append((HEADER_REPORT_ONLY, report_only))
        built.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
        headers = _headers[0] = tuple(built)
    return headers


def _forget(**kwargs) -> None:
    """Settings changed (tests do): resolve the paths and build the headers again."""
    _routes.clear()
    _headers[0] = None


setting_changed.connect(_forget, dispatch_uid="webhook-fast-path-settings")


class WebhookFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = _receivers().get(request.path_info)
        if view is None:
            return self.get_response(request)
        response = view(request)
        for name, value in _security_headers():
            if name not in response:
                response[name] = value
        return response
