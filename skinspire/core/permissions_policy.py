"""Permissions-Policy: the browser features no page of the site uses are switched off, for
the page and for anything it could ever frame (every answer carries the header, error pages
and the webhook receivers' answers included: this middleware is first in MIDDLEWARE).

Nothing here uses a camera, a microphone, the location, sensors, USB/serial/HID/Bluetooth
devices, media keys or WebAuthn. `payment` (the Payment Request API) is off too: no script of
ours or the sandbox's calls it, and the gateways' hosted checkouts are pages on their own
hosts, reached by a top-level form POST (collections/handover.py), under their own headers;
an embedded gateway checkout (an iframe needing `payment`) is already ruled out by the CSP.
The clipboard is left alone: the workspace's copy buttons write to it.

The setting PERMISSIONS_POLICY has the shape of django-permissions-policy's (feature -> list
of allowed origins, `[]` for none, "self" or "*"), so that package's middleware can take
this one's place without changing the setting.
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

HEADER = "Permissions-Policy"
_built: list[str | None] = [None]


def policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """`camera=(), fullscreen=(self "https://example.org")`: origins quoted, self and * not."""
    return ", ".join(f"{feature}=({' '.join(_origin(origin) for origin in origins)})"
                     for feature, origins in policy.items())  # fmt: skip


def _origin(origin: str) -> str:
    return origin if origin in ("self", "*") else f'"{origin}"'


def _header() -> str:
    header = _built[0]
    if header is None:
        header = _built[0] = policy_header(settings.PERMISSIONS_POLICY)
    return header


def _forget(*, setting: str, **kwargs) -> None:
    if setting == "PERMISSIONS_POLICY":
        _built[0] = None


setting_changed.connect(_forget, dispatch_uid="permissions-policy-setting")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        header = _header()
        if header and HEADER not in response:  # a view may set its own
            response[HEADER] = header
        return response
