"""Fixed one-minute counters in the shared cache (Redis in production), for rate limits."""

from django.core.cache import cache


def count_this_minute(key: str) -> int:
    """Add one to the counter `key` (created with a one-minute expiry) and return it."""
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is not None:
        # Redis: INCR and EXPIRE NX in one round trip (Django's cache.incr costs two).
        pipeline = client(key, write=True).pipeline()
        full_key = cache.make_and_validate_key(key)
        pipeline.incr(full_key)
        pipeline.expire(full_key, 60, nx=True)
        return int(pipeline.execute()[0])
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet this minute
        return 1 if cache.add(key, 1, timeout=60) else cache.incr(key)
