"""Content-Security-Policy for pages whose form must leave this site.

The base policy lets forms post only to this site (form-action 'self'). Two kinds of page
hand the browser over to another origin with a form: our checkout hand-over, which POSTs
to the gateway's hosted checkout (collections/handover.py), and the sandbox's hosted pages,
which POST the result to the merchant's callback URL. CSP's form-action covers a form's
target and every redirect it leads to, so such a page adds that one origin, for its own
response only; every other page keeps 'self' alone.
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
    """Let this response's forms reach `url`'s origin, besides this site. Returns the response;
    an URL without a safe origin adds nothing (the form is then refused by the browser)."""
    origin = url_origin(url)
    if origin:
        # django-csp reads per-response additions from here (what its @csp_update sets).
        response.__dict__["_csp_update"] = {"form-action": [origin]}
    return response
