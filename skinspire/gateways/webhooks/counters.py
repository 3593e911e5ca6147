"""Counters and flags in the shared cache (Redis in production), one round trip each.

Django's RedisCache builds a new Redis client object for every call and spends two round
trips on `incr`; on the receiver's path, where every delivery counts once and nudges the
relay once, these go straight to one client kept per process (same connection pool, same
key prefix and version as the cache). Any other cache backend goes through `cache`.
"""

import threading
import time

from django.core.cache import cache

# One client per thread, for the cache backend object that thread has (Django's caches are
# per thread, and settings may swap the backend, as tests do). Per thread, not one shared
# table keyed by the backend's id(): gunicorn's threads each have a backend, and a shared
# table emptied by one thread while another read it was a KeyError (a 500) under load.
_local = threading.local()


def _redis_client():
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None:
        return None
    held = getattr(_local, "held", None)
    if held is None or held[0] is not backend:
        held = (backend, get_client(write=True))
        _local.held = held
    return held[1]


def count_this_minute(key: str) -> int:
    """Add one to the counter `key` (created with a one-minute expiry) and return it."""
    client = _redis_client()
    if client is not None:
        pipeline = client.pipeline(transaction=False)
        full_key = cache.make_and_validate_key(key)
        pipeline.incr(full_key)
        pipeline.expire(full_key, 60, nx=True)
        return int(pipeline.execute()[0])
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet this minute
        return 1 if cache.add(key, 1, timeout=60) else cache.incr(key)


# Leases (within_rate): the share of a window's budget this process took and not yet spent.
# Keyed by the full cache key (prefix included) and the window number.
_leases: dict[tuple[str, int], list[int]] = {}  # -> [events left in the lease, 1 if the limit is reached]
_leases_lock = threading.Lock()
LEASES_KEPT = 4096  # distinct addresses per window before the table is emptied
LEASE_SHARE = 100  # a lease is at most 1/LEASE_SHARE of the limit …
LEASE_MAX = 100  # … and at most this many events


def within_rate(key: str, *, limit: int, window_seconds: int = 60) -> bool:
    """Count one event under `key` in the current fixed window (the clock's minute by
    default) and say whether it is within `limit` for the window, across all processes.

    One Redis round trip per lease, not per event: a process takes a lease of up to
    `lease_size(limit)` events from the window's shared counter (INCRBY) and spends it
    locally. What a lease took counts as spent whether or not it is used, so the events
    let through across every process never exceed `limit`; unspent leases can make a
    window refuse early, by at most one lease per process (1 % of the limit, or one event
    for limits under 200, which then cost a round trip per event as before). Once the
    window's budget is gone the process refuses without asking Redis again until the next
    window, so a flood costs no round trips at all.
    """
    window = int(time.time() // window_seconds)
    full_key = f"{cache.make_and_validate_key(key)}:{window}"
    slot = (full_key, window)
    with _leases_lock:
        lease = _leases.get(slot)
        if lease is not None:
            if lease[0] > 0:
                lease[0] -= 1
                return True
            if lease[1]:
                return False
    size = lease_size(limit)
    total = _add(full_key, size, seconds=2 * window_seconds)
    granted = max(0, min(size, limit - (total - size)))
    with _leases_lock:
        if len(_leases) >= LEASES_KEPT:
            _leases.clear()  # old windows and one-off addresses: cannot grow without bound
        lease = _leases.setdefault(slot, [0, 0])
        lease[0] += granted  # another thread may have taken a lease meanwhile: both count
        if granted < size:
            lease[1] = 1
        if lease[0] > 0:
            lease[0] -= 1
            return True
        return False


def lease_size(limit: int) -> int:
    return max(1, min(LEASE_MAX, limit // LEASE_SHARE))


def _add(full_key: str, amount: int, *, seconds: int) -> int:
    """INCRBY on an already-built key, created with an expiry; the new total."""
    client = _redis_client()
    if client is not None:
        pipeline = client.pipeline(transaction=False)
        pipeline.incrby(full_key, amount)
        pipeline.expire(full_key, seconds, nx=True)
        return int(pipeline.execute()[0])
    # Another backend (a per-process cache): the Django API, with the raw key as its key.
    cache.add(full_key, 0, timeout=seconds)
    try:
        return cache.incr(full_key, amount)
    except ValueError:  # evicted between the two calls
        cache.add(full_key, amount, timeout=seconds)
        return amount


def leases_forget() -> None:
    """Drop this process's leases (tests that play several processes)."""
    with _leases_lock:
        _leases.clear()


def flag_claim(key: str, value: str, *, milliseconds: int) -> tuple[bool, str | None]:
    """Set `key` to `value` for `milliseconds` unless it is set; (whether this call set it,
    the value it holds now). One round trip with Redis."""
    client = _redis_client()
    if client is not None:
        full_key = cache.make_and_validate_key(key)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(full_key, value, nx=True, px=milliseconds)
        pipeline.get(full_key)
        claimed, current = pipeline.execute()
        return bool(claimed), current.decode() if isinstance(current, bytes) else current
    claimed = cache.add(key, value, timeout=milliseconds / 1000)
    return claimed, cache.get(key)
