"""DRF throttles that identify the client by skinspire.core.client_ip.

DRF's own get_ident trusts X-Forwarded-For through its NUM_PROXIES setting; ours follows
TRUSTED_PROXY_COUNT, like the lockout and the audit log, so one setting decides for all.
"""

from rest_framework.throttling import ScopedRateThrottle

from skinspire.core.client_ip import client_ip


class ClientIPThrottleMixin:
    def get_ident(self, request):
        return client_ip(request)


class ClientIPScopedRateThrottle(ClientIPThrottleMixin, ScopedRateThrottle):
    """The view's `throttle_scope` picks the rate (e.g. "login": 10/minute)."""
