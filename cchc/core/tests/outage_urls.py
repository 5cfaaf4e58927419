"""Addresses that fail as they would with the database or Redis away, for the outage tests."""

from django.db import OperationalError
from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError

from config.api import api


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def cache_down(request):
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def plain_bug(request):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [
    path("api/v1/", api.urls),
    path("api/database-down", database_down),
    path("database-down", database_down),
    path("cache-down", cache_down),
    path("bug", plain_bug),
]
