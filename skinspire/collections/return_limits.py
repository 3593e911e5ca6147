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

A verified return repeated (the same payment or link, the same signature: a reload, a
gateway posting its callback twice, or someone replaying what they copied) is not a new
question for the gateway. Within REPEAT_SECONDS of the first it is answered from what we
hold, without asking the gateway and without counting (`verified_return_admit`), so a
replayed return cannot use up the budget and show the real patient the 429 page. What the
budget still counts are returns with a signature not seen yet, which only the gateway can
make. A first return the gateway could not answer (or that met the 429) is forgotten, so
its repeat asks again.
"""

import enum
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skinspire.core.client_ip import client_ip
from skinspire.gateways.webhooks.counters import flag_claim, within_rate

FAILURES_KEY = "patient-returns:failed:{address}"
VERIFIED_KEY = "patient-returns:verified:{subject}"
ANSWERED_KEY = "patient-returns:answered:{subject}:{signature}"
REPEAT_SECONDS = 60
TEMPLATE = "collections/too_many_returns.html"
# What a signature's text is read as: Razorpay's hex must match exactly, but Paytm's base64
# CHECKSUMHASH is decoded leniently (characters outside the alphabet, and extra padding,
# are skipped), so "abc!def" verifies as "abcdef" and must count as the same return.
NOT_SIGNATURE = re.compile(r"[^A-Za-z0-9+/]")


class Admitted(enum.Enum):
    FIRST = "first"  # ask the gateway; call verified_return_unanswered if it does not answer
    REPEAT = "repeat"  # answer from what we hold
    OVER_LIMIT = "over limit"  # the 429 page


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


def verified_return_admit(*, subject: str, signature: str) -> Admitted:
    """A verified return for `subject` (a payment's or a link's reference) with `signature`:
    a repeat within REPEAT_SECONDS, or the first, counted against the verified budget."""
    claimed, _ = flag_claim(_answered_key(subject, signature), "1", milliseconds=REPEAT_SECONDS * 1000)
    if not claimed:
        return Admitted.REPEAT
    if verified_return_over_limit(subject=subject):
        verified_return_unanswered(subject=subject, signature=signature)
        return Admitted.OVER_LIMIT
    return Admitted.FIRST


def verified_return_unanswered(*, subject: str, signature: str) -> None:
    """The first return was not answered (the gateway failed, or the budget was spent): its
    repeat is asked about again rather than answered from what we hold."""
    cache.delete(_answered_key(subject, signature))


def _answered_key(subject: str, signature: str) -> str:
    digest = hashlib.sha256(NOT_SIGNATURE.sub("", signature).encode()).hexdigest()[:32]
    return ANSWERED_KEY.format(subject=subject, signature=digest)
