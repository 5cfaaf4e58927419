"""The rate limit on Redis, as production runs it: the window's counter is created with its expiry
and counted in one round trip, and the limit holds."""

import os

import pytest
import redis
from django.core.cache import caches

from cchc.core import ratelimit

REDIS_URL = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def _reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _reachable(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"cchc-test-{os.getpid()}",
        },
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_the_limit_holds_and_the_counter_expires_with_its_window(redis_cache, monkeypatch):
    sent = []
    execute = redis.client.Pipeline.execute

    def counting(self, *args, **kwargs):
        sent.append([command[0][0] for command in self.command_stack])
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counting)
    answers = [ratelimit.hit(scope="test", key="203.0.113.7", limit=2, window=60) for _ in range(3)]
    assert answers == [True, True, False]
    assert ratelimit.hit(scope="test", key="203.0.113.8", limit=2, window=60)  # another address counts apart
    assert sent == [["SET", "INCRBY"]] * 4 or sent == [["SET", "INCR"]] * 4  # one round trip each
    client = redis_cache._cache.get_client(write=True)
    keys = client.keys(f"cchc-test-{os.getpid()}:*ratelimit:test:203.0.113.7:*")
    assert len(keys) == 1
    assert 0 < client.ttl(keys[0]) <= 60
