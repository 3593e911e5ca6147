"""The one place outbound gateway HTTP sessions are made.

Every adapter and the sandbox's webhook sender get their `requests.Session` here, so
timeouts are uniform and test settings can route the sandbox host in-process.

An adapter's session is bound to its configuration's base URLs: it refuses to send
anything (credentials included, and redirects followed) to any other address.
"""

import functools

import requests
from django.conf import settings

from skinspire.gateways import endpoints
from skinspire.gateways.errors import GatewayConfigurationError


def gateway_timeout() -> tuple[float, float]:
    return (settings.GATEWAY_CONNECT_TIMEOUT, settings.GATEWAY_READ_TIMEOUT)


class BoundSession(requests.Session):
    """A session that sends only to URLs under `allowed_base_urls`."""

    def __init__(self, *, allowed_base_urls: tuple[str, ...]):
        super().__init__()
        self.allowed_base_urls = allowed_base_urls

    def send(self, request, **kwargs):
        # Session.send is the last step before the wire, for every request and every redirect.
        if not any(endpoints.is_under(request.url, base) for base in self.allowed_base_urls):
            raise GatewayConfigurationError(
                "Refused to send a gateway request outside the configuration's base URLs.",
                code="base_url_refused",
                extra={"host": endpoints.host_of(request.url)},
            )
        return super().send(request, **kwargs)


def new_session(
    *, allowed_base_urls: tuple[str, ...] | None = None, secret_values: tuple[str, ...] = ()
) -> requests.Session:
    """A session for gateway calls; bound to `allowed_base_urls` when given (adapters).
    `secret_values` (the configuration's credentials) are blanked wherever they occur in
    what the transaction log keeps."""
    if allowed_base_urls is None:
        session = requests.Session()
    else:
        session = BoundSession(allowed_base_urls=allowed_base_urls)
    # Every exchange made inside a `gateway_call(...)` block lands in the transaction log.
    session.hooks["response"].append(functools.partial(_log_exchange, secret_values=secret_values))
    for prefix in settings.GATEWAY_INPROCESS_PREFIXES:
        # Test settings only: requests for this host are served by this Django project
        # in-process (through Django's test client), so the real SDK reaches the sandbox.
        from skinspire.core.testing import DjangoInProcessAdapter

        session.mount(prefix, DjangoInProcessAdapter())
    return session


def _log_exchange(response, *args, secret_values: tuple[str, ...] = (), **kwargs):
    from skinspire.gateways.calllog import record_exchange

    record_exchange(response, secret_values=secret_values)
