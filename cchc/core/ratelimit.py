"""A fixed-window rate limit kept in Django's cache (shared by every process when it is Redis)."""

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def hit(*, scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Count one request of `key` (e.g. a client address) in `scope`; False once over `limit` per window.

    The window's number is part of the cache key, so a backend whose `incr` resets the
    expiry (the database cache does) still starts a fresh count in the next window. On Redis the
    count is one round trip (the public status lookup pays it on every request); elsewhere the
    cache's add and incr.
    """
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key or 'unknown'}:{bucket}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return _redis_count(cache, cache_key, window) <= limit
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit


def _redis_count(cache: RedisCache, cache_key: str, window: int) -> int:
    """Create the window's counter with its expiry if it is new and count one, atomically (MULTI), in one
    round trip; Django's add and incr would take three (SET NX, EXISTS, INCRBY)."""
    key = cache.make_and_validate_key(cache_key)
    client = cache._cache.get_client(key, write=True)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, 0, ex=window, nx=True)
    pipe.incr(key)
    return pipe.execute()[1]
