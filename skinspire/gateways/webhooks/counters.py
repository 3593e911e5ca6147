"""Counters and flags in the shared cache (Redis in production), one round trip each.

Django's RedisCache builds a new Redis client object for every call and spends two round
trips on `incr`; on the receiver's path, where every delivery counts once and nudges the
relay once, these go straight to one client kept per process (same connection pool, same
key prefix and version as the cache). Any other cache backend goes through `cache`.
"""

from django.core.cache import cache

# One client per cache backend object (settings may swap the backend, as tests do).
_clients: dict[int, object] = {}


def _redis_client():
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None:
        return None
    if id(backend) not in _clients:
        _clients.clear()
        _clients[id(backend)] = get_client(write=True)
    return _clients[id(backend)]


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


def flag_set(key: str, *, seconds: int) -> bool:
    """Set `key` for `seconds` unless it is set already; True if this call set it."""
    client = _redis_client()
    if client is not None:
        return bool(client.set(cache.make_and_validate_key(key), 1, nx=True, ex=seconds))
    return cache.add(key, 1, timeout=seconds)


def flag_clear(key: str) -> None:
    client = _redis_client()
    if client is not None:
        client.delete(cache.make_and_validate_key(key))
    else:
        cache.delete(key)
