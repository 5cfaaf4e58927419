"""A fixed-window rate limit kept in Django's cache (shared by every process when it is Redis)."""

import time

from django.core.cache import cache


def hit(*, scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Count one request of `key` (e.g. a client address) in `scope`; False once over `limit` per window.

    The window's number is part of the cache key, so a backend whose `incr` resets the
    expiry (the database cache does) still starts a fresh count in the next window.
    """
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key or 'unknown'}:{bucket}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit
