"""Content-Security-Policy for hosted pages that hand the result to the merchant.

The base policy lets forms post only to this site (form-action 'self'). A gateway's page
posts to (or redirects to) the merchant's callback URL, which may be another origin, and
CSP's form-action covers a form's target and every redirect it leads to. So such a page
adds the callback's origin, for its own response only.
"""

import re
from urllib.parse import urlsplit

from django.http import HttpResponse

# A host name, IPv4 or IPv6 address: nothing that could end the CSP source expression and
# smuggle in a directive (the callback URL is the merchant's input).
HOST_PATTERN = re.compile(r"^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|[0-9a-f:.]+)$")


def url_origin(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, or None when it has no safe origin."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not HOST_PATTERN.match(host):
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def allow_form_target(response: HttpResponse, *, url: str) -> HttpResponse:
    """Let this response's forms reach `url`'s origin, besides this site."""
    origin = url_origin(url)
    if origin:
        # django-csp reads per-response additions from here (what its @csp_update sets).
        response.__dict__["_csp_update"] = {"form-action": [origin]}
    return response
