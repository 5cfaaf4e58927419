"""Django's PostgreSQL backend with a health check that costs no round trip to the server.

CONN_HEALTH_CHECKS makes Django test a kept connection before the first query of each request,
so a connection the database dropped (a restart, `pg_terminate_backend`, an idle timeout) is
replaced instead of failing the request. Django tests it with `SELECT 1`: one more round trip
on every request, as long as the request's own query on a short read such as the public status
lookup. Here the check looks at the connection's socket instead, without sending anything:

- an idle connection in autocommit has nothing left to read; the server that drops it sends
  its FATAL message and closes the socket, which then reads as ready. Anything readable, or a
  connection psycopg already knows is broken or in an unknown transaction state, counts as
  dead: it is closed and the request opens a new one (a false alarm costs a reconnect only);
- a connection that had an error since its last commit is still tested by Django with
  `SELECT 1` at the end of the request (`close_if_unusable_or_obsolete`), as before.

What this cannot see, as `SELECT 1` could (by hanging until a timeout): a server host that
vanished without closing its sockets. The request's own query then fails as it would have.

`prepared_cursor()` is for a hot read run on every request of its kind (the public status
lookup): its statements are prepared on the server the first time a connection runs them, so
later runs skip parsing and planning, which cost PostgreSQL six times the execution of the
lookup's four-table join. Django's own cursors stay as Django makes them (client-side binding,
nothing prepared). A transaction-mode pooler in front of PostgreSQL must keep prepared
statements per client (PgBouncer >= 1.21, `max_prepared_statements`), or set
DATABASE_PREPARED_STATEMENTS=false: the cursor then prepares nothing.
"""

import select
import sys

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base, operations
from django.utils.asyncio import async_unsafe
from psycopg import pq


class PreparedCursor(base.ServerBindingCursor):
    """Binds its parameters on the server and prepares each statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # A prepared statement's execution leaves psycopg no query text; what DEBUG and query
        # capture show is then composed from the statement and its parameters.
        if isinstance(cursor, PreparedCursor):
            try:
                return self.compose_sql(sql, params)
            except psycopg.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None and settings.CCHC_DB_PREPARED_STATEMENTS:
            # Django turns psycopg's preparing off; its client-side cursors never prepare anyway, and
            # PreparedCursor asks for it explicitly, which psycopg honours only with a threshold.
            connection.prepare_threshold = sys.maxsize
        return connection

    @async_unsafe
    def prepared_cursor(self):
        """A cursor like `cursor()` (health check, error wrapping, query logging) whose statements are
        prepared on the connection; a plain one when prepared statements are off."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return self._cursor()
        with self.wrap_database_errors:
            cursor = PreparedCursor(self.connection)
            tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, pq.Format.TEXT)
            if self.timezone != tzloader.timezone:
                base.register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)

    def close_if_health_check_failed(self):
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self.is_idle_and_open():
            self.close()
        self.health_check_done = True

    def is_idle_and_open(self) -> bool:
        """The kept connection is open, idle and nothing arrived on it since its last query."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.pgconn.status != pq.ConnStatus.OK:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        return not _readable(connection.pgconn.socket)


def _readable(fd: int) -> bool:
    if hasattr(select, "poll"):  # any descriptor number, unlike select()
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])
