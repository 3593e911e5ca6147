"""The client's IP address, trusting X-Forwarded-For only as far as configured proxies.

Every part of the site that needs the client's address (throttling, login lockout, the
audit log) asks this one function. With `TRUSTED_PROXY_COUNT = 0` (the default) the
address is the TCP peer (`REMOTE_ADDR`) and X-Forwarded-For is ignored, so a client cannot
choose its own address by sending the header. Behind N proxies, each appends the address
it received the request from, so the client is the N-th entry from the right.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxy_count:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote_addr
    candidate = forwarded[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
