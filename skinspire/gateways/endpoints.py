"""Where a gateway configuration may send its credentials.

Every call carries the configuration's secrets (Razorpay: `Authorization: Basic key_id:key_secret`;
Paytm: `x-mid` and a checksum made with the merchant key), so a base URL decides who
receives them. The rule, applied by the service on every write and again by the registry
and the HTTP session before anything is sent:

- empty means the provider's official host for the configuration's mode;
- live mode: only the provider's official host;
- test mode: the provider's official test host, or a URL under an entry of
  settings.GATEWAY_BASE_URL_ALLOWLIST (the local sandbox in development, empty in production);
- link-local and cloud-metadata addresses are always refused; loopback, private and
  reserved addresses only where settings.GATEWAY_ALLOW_PRIVATE_ADDRESSES (development).

Each provider's official hosts are in its configuration schema
(providers/<name>/configuration.py). Provider and mode are plain strings here.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from skinspire.gateways.providers import schemas

API = "api"
PAYOUTS = "payouts"

# Names that reach a cloud provider's instance metadata service.
METADATA_HOSTS = {"metadata", "metadata.google.internal", "metadata.azure.com", "instance-data"}
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
FIELD_FOR = {API: "base_url", PAYOUTS: "payout_base_url"}
LABEL_FOR = {API: "base URL", PAYOUTS: "payout base URL"}


def official_origins(provider: str, mode: str, api: str) -> tuple[str, ...]:
    """The provider's own hosts, from its configuration schema; () for an unknown provider."""
    if not schemas.is_registered(provider):
        return ()
    return tuple(schemas.schema_for(provider).official_origins.get((str(mode), api), ()))


def default_origin(provider: str, mode: str, api: str) -> str:
    origins = official_origins(provider, mode, api)
    return origins[0] if origins else ""


def normalised(url: str) -> str:
    return (url or "").strip().rstrip("/")


def is_official(url: str, *, provider: str, mode: str, api: str) -> bool:
    return normalised(url).lower() in official_origins(provider, mode, api)


def _port(parts) -> int | None:
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None


def is_under(url: str, prefix: str) -> bool:
    """`url` lies under `prefix`: same scheme, host and port, and its path at or below the
    prefix's path. Parsed, never compared as text, so `http://allowed@evil/` is not allowed."""
    candidate, entry = urlsplit(normalised(url)), urlsplit(normalised(prefix))
    if candidate.username or candidate.password or not candidate.hostname:
        return False
    same_origin = (candidate.scheme.lower(), candidate.hostname, _port(candidate)) == (
        entry.scheme.lower(),
        entry.hostname,
        _port(entry),
    )
    path, base = candidate.path, entry.path.rstrip("/")
    return same_origin and (path == base or path.startswith(f"{base}/"))


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host literal names, in any spelling the resolver accepts
    (`2852039166` and `0xa9.0xfe.0xa9.0xfe` are 169.254.169.254 to it)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def address_problem(host: str) -> str:
    """Why `host` may not receive credentials here, or "" if it may."""
    host = (host or "").lower().rstrip(".")
    address = _address(host)
    if host in METADATA_HOSTS or address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address is not None and (address.is_link_local or address.is_multicast or address.is_unspecified):
        return "a link-local or unroutable address"
    private = host in LOOPBACK_NAMES or (
        address is not None and (address.is_loopback or address.is_private or address.is_reserved)
    )
    if private and not settings.GATEWAY_ALLOW_PRIVATE_ADDRESSES:
        return "a loopback or private address"
    return ""


def url_problem(url: str, *, provider: str, mode: str, api: str) -> str:
    """Why `url` may not be this configuration's base URL for `api`, or "" if it may."""
    url = normalised(url)
    if not url or is_official(url, provider=provider, mode=mode, api=api):
        return ""
    official = " or ".join(official_origins(provider, mode, api)) or "the provider's host"
    parts = urlsplit(url)
    if parts.username or parts.password or parts.query or parts.fragment:
        return "A base URL may not carry a user name, password, query or fragment."
    if mode != "test":
        return f"In live mode the {LABEL_FOR[api]} is the provider's own: leave it empty or use {official}."
    if not any(is_under(url, entry) for entry in settings.GATEWAY_BASE_URL_ALLOWLIST):
        return (
            f"In test mode the {LABEL_FOR[api]} is {official}, or a URL listed in "
            "GATEWAY_BASE_URL_ALLOWLIST (the local sandbox)."
        )
    problem = address_problem(parts.hostname or "")
    return f"{parts.hostname} is {problem}; gateway credentials are never sent there." if problem else ""


def endpoint_errors(*, provider: str, mode: str, base_url: str, payout_base_url: str) -> dict[str, list[str]]:
    """Field errors for a configuration's two base URLs ({} when both are allowed)."""
    errors = {}
    for api, url in ((API, base_url), (PAYOUTS, payout_base_url)):
        problem = url_problem(url, provider=provider, mode=mode, api=api)
        if problem:
            errors[FIELD_FOR[api]] = [problem]
    return errors


def host_of(url: str) -> str:
    return urlsplit(url or "").hostname or ""
