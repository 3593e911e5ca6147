"""The one place outbound gateway HTTP sessions are made.

Every adapter and the sandbox's webhook sender get their `requests.Session` here, so
timeouts are uniform and test settings can route the sandbox host in-process.
"""

import requests
from django.conf import settings


def gateway_timeout() -> tuple[float, float]:
    return (settings.GATEWAY_CONNECT_TIMEOUT, settings.GATEWAY_READ_TIMEOUT)


def new_session() -> requests.Session:
    session = requests.Session()
    # Every exchange made inside a `gateway_call(...)` block lands in the transaction log.
    session.hooks["response"].append(_log_exchange)
    for prefix in settings.GATEWAY_INPROCESS_PREFIXES:
        # Test settings only: requests for this host are served by this Django project
        # in-process (through Django's test client), so the real SDK reaches the sandbox.
        from skinspire.core.testing import DjangoInProcessAdapter

        session.mount(prefix, DjangoInProcessAdapter())
    return session


def _log_exchange(response, *args, **kwargs):
    from skinspire.gateways.calllog import record_exchange

    record_exchange(response)
