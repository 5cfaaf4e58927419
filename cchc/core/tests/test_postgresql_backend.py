"""The PostgreSQL backend (cchc.core.postgresql): a kept connection the database dropped is replaced
before a request uses it, as `bin/test-cluster` checks on a cluster, and a healthy one is reused
without a health-check query to the server."""

import psycopg
import pytest
from django.db import OperationalError, connection, connections

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db,
]


@pytest.fixture
def kept():
    """A connection kept between requests (CONN_MAX_AGE), as a server thread keeps it."""
    wrapper = connections.create_connection("default")
    yield wrapper
    wrapper.close()


def request(wrapper) -> int:
    """What Django does around one request that reads: the connection's backend process id."""
    wrapper.close_if_unusable_or_obsolete()  # request_started
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    wrapper.close_if_unusable_or_obsolete()  # request_finished
    return pid


def drop(pid: int) -> None:
    """As a database restart does: the server ends the connection's backend (waiting until it is gone)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        assert cursor.fetchone()[0]


def test_a_connection_the_database_dropped_is_replaced_before_the_next_request_uses_it(kept):
    first = request(kept)
    drop(first)
    second = request(kept)
    assert second != first
    assert request(kept) == second  # and the new one is kept


def test_without_the_health_check_the_next_request_fails(kept):
    # What the check is for: the same sequence with it off fails the request.
    first = request(kept)
    kept.health_check_enabled = False
    drop(first)
    with pytest.raises(OperationalError):
        request(kept)


def test_a_healthy_kept_connection_is_reused_with_only_the_requests_own_query(kept, monkeypatch):
    first = request(kept)
    sent = []
    execute = psycopg.Cursor.execute

    def counting(self, query, *args, **kwargs):
        sent.append(query)
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    assert request(kept) == first
    assert sent == ["SELECT pg_backend_pid()"]  # Django's own check would have sent SELECT 1 first
