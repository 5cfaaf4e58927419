"""A fixed-window rate limit kept in Django's cache (shared by every process when it is Redis).

On Redis a window's count lives in one key per client. Sending every hit there costs a network round
trip per request, and the public status lookup is the most frequent request of all: that round trip
was the largest single cost of the lookup under load (issue 12's bench: 47 % of the bare read with it,
65 % without). So each process keeps a local tally per key and sends its hits in batches:

- a key may run `limit // SLACK_SHARE` hits ahead of Redis in one process, and for at most
  `SYNC_SECONDS`; then the process adds its unsent hits to Redis in one round trip and reads back the
  window's total, every process's hits included;
- a hit is refused once the last total Redis gave plus this process's unsent hits passes the limit.

A limit under `SLACK_SHARE` (the log-in, token and IPN limits, the status lookup's 30 a minute) has
no slack: every hit goes to Redis and the count is exact, as before. A larger one may let through at
most `limit // SLACK_SHARE` more hits per process and window (1.6 % of the limit per process).
"""

import threading
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

SLACK_SHARE = 64
SYNC_SECONDS = 0.25
PRUNE_ABOVE = 4096  # tallies kept before the ended windows' are dropped


def hit(*, scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Count one request of `key` (e.g. a client address) in `scope`; False once over `limit` per window.

    The window's number is part of the cache key, so a backend whose `incr` resets the
    expiry (the database cache does) still starts a fresh count in the next window.
    """
    now = time.time()
    bucket = int(now // window)
    cache_key = f"ratelimit:{scope}:{key or 'unknown'}:{bucket}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return tallies.hit(cache, cache_key, limit=limit, window=window, ends_at=(bucket + 1) * window)
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit


@dataclass
class _Tally:
    ends_at: float  # the window's end (epoch seconds)
    known: int = 0  # the window's total as Redis last answered it
    unsent: int = 0  # this process's hits not sent yet
    synced_at: float = 0.0  # monotonic time of the last answer; 0: never asked


class Tallies:
    """One process's unsent hits per Redis key (gthread workers share it between their threads)."""

    def __init__(self) -> None:
        self._tallies: dict[str, _Tally] = {}
        self._lock = threading.Lock()

    def hit(self, cache: RedisCache, cache_key: str, *, limit: int, window: int, ends_at: float) -> bool:
        slack = limit // SLACK_SHARE
        if slack == 0:
            return _redis_add(cache, cache_key, window, 1) <= limit
        now = time.monotonic()
        with self._lock:
            tally = self._tallies.get(cache_key)
            if tally is None:
                self._prune()
                tally = self._tallies[cache_key] = _Tally(ends_at=ends_at)
            if tally.synced_at and tally.unsent < slack and now - tally.synced_at < SYNC_SECONDS:
                tally.unsent += 1
                return tally.known + tally.unsent <= limit
            send, tally.unsent = tally.unsent + 1, 0
        total = _redis_add(cache, cache_key, window, send)
        with self._lock:
            # Another thread's batch may have been answered after this one with a larger total.
            tally.known = max(tally.known, total)
            tally.synced_at = time.monotonic()
        return total <= limit

    def _prune(self) -> None:
        if len(self._tallies) < PRUNE_ABOVE:
            return
        now = time.time()
        self._tallies = {key: tally for key, tally in self._tallies.items() if tally.ends_at > now}


tallies = Tallies()


def _redis_add(cache: RedisCache, cache_key: str, window: int, count: int) -> int:
    """Create the window's counter with its expiry if it is new and add `count`, atomically (MULTI), in
    one round trip (Django's add and incr would take three: SET NX, EXISTS, INCRBY); the new total."""
    key = cache.make_and_validate_key(cache_key)
    client = cache._cache.get_client(key, write=True)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, 0, ex=window, nx=True)
    pipe.incrby(key, count)
    return pipe.execute()[1]
