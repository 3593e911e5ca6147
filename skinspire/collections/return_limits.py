"""Rate limits of the patient's return pages (/pay/checkout/<reference>/return and
/pay/link/<token>/return), which need no login: two budgets a real patient never meets.

- **Failed returns, per client address** (`PATIENT_RETURN_FAILURES_PER_MINUTE`): an unknown
  reference or token, or a signature that does not verify. A bad checkout signature writes an
  audit entry; beyond the budget the answer is a 429 and nothing is written. A return that
  verifies is never held back by it, so patients who share an address (a mobile carrier's
  NAT, the hospital's Wi-Fi) are not refused for someone else's failures.
- **Verified returns, per payment or link** (`PATIENT_RETURN_VERIFIED_PER_MINUTE`): each
  asks the gateway about the payment (fetch, capture), so a signed return replayed in a loop
  would call the gateway in a loop. Counted per payment or link, not per address: Paytm
  posts every link's status callback from its own servers (docs/gateways-paytm.md), one
  address for all of them.

Both are fixed clock-minute windows in the shared cache, counted as the webhook receiver
counts its deliveries (skinspire.gateways.webhooks.counters.within_rate).
"""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skinspire.core.client_ip import client_ip
from skinspire.gateways.webhooks.counters import within_rate

FAILURES_KEY = "patient-returns:failed:{address}"
VERIFIED_KEY = "patient-returns:verified:{subject}"
TEMPLATE = "collections/too_many_returns.html"


def return_failure_over_limit(request: HttpRequest) -> bool:
    """Count one failed return from the request's address; whether it is beyond the budget."""
    key = FAILURES_KEY.format(address=client_ip(request) or "-")
    return not within_rate(key, limit=settings.PATIENT_RETURN_FAILURES_PER_MINUTE)


def verified_return_over_limit(*, subject: str) -> bool:
    """Count one verified return for `subject` (a payment's or a link's reference); whether it
    is beyond the budget."""
    key = VERIFIED_KEY.format(subject=subject)
    return not within_rate(key, limit=settings.PATIENT_RETURN_VERIFIED_PER_MINUTE)


def too_many_returns(request: HttpRequest) -> HttpResponse:
    """The 429 page, with Retry-After: the seconds left in this minute's window."""
    response = render(request, TEMPLATE, status=429)
    response["Retry-After"] = str(60 - int(time.time()) % 60)
    return response
