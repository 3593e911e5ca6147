"""How fast payouts are sent to one gateway account: at most PAYOUT_DISPATCH_RATE_PER_SECOND
(default 8; RazorpayX asks for 5-10 TPS, reference §2.3 "Guidelines") requests per second
per configuration, counted in the cache (Redis in production) so every worker shares it.

A worker that finds the current second full waits for the next one: the wait is at most a
second per turn, and the payout is already recorded `submitted`, so nothing is lost by it.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATE = 8


def dispatch_rate() -> int:
    return max(1, int(getattr(settings, "PAYOUT_DISPATCH_RATE_PER_SECOND", DEFAULT_RATE)))


def dispatch_slot_wait(
    *,
    configuration_id: int,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Take a slot in the configuration's current second, waiting for a later second when
    this one is full. Returns the seconds waited."""
    rate, waited = dispatch_rate(), 0.0
    while True:
        now = clock()
        key = f"payouts:dispatch:{configuration_id}:{int(now)}"
        cache.add(key, 0, timeout=10)
        if cache.incr(key) <= rate:
            return waited
        pause = int(now) + 1 - now
        sleep(pause)
        waited += pause
