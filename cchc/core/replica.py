"""Reports and dashboards read from a PostgreSQL streaming replica when there is one.

With `DATABASE_REPLICA_URL` set, settings add the `replica` database and `ReplicaRouter`. A view
decorated with `@replica_reads` (the statutory report, the service index, the dashboards) sends its
reads there, unless:
- the replica lags the primary by more than `CCHC_REPLICA_MAX_LAG_SECONDS` (measured at most every
  few seconds per process), or cannot be reached: the primary answers, as without a replica;
- the read happens inside a transaction on the primary (a service that locks and writes reads what
  it is about to change from the primary).
Writes always go to the primary; migrations never run on the replica.
"""

import functools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
LAG_CHECK_SECONDS = 5.0

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
_lag_checked_at = 0.0
_replica_usable = False

LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_lag_seconds() -> float:
    """How far the replica's replayed state is behind the primary (0 when it has replayed all it received)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def replica_usable() -> bool:
    """Whether reads may go to the replica now (memoised for LAG_CHECK_SECONDS)."""
    global _lag_checked_at, _replica_usable  # a per-process memo, refreshed every few seconds
    if REPLICA not in settings.DATABASES:
        return False
    now = time.monotonic()
    if now - _lag_checked_at >= LAG_CHECK_SECONDS:
        try:
            lag = replica_lag_seconds()
            _replica_usable = lag <= settings.CCHC_REPLICA_MAX_LAG_SECONDS
            if not _replica_usable:
                logger.warning("replica lags %.1f s: reports read from the primary", lag)
        except DatabaseError:
            logger.warning("replica unreachable: reports read from the primary", exc_info=True)
            _replica_usable = False
            connections[REPLICA].close()
        _lag_checked_at = now
    return _replica_usable


def replica_reads(view):
    """Let the reads of `view` go to the replica (when usable)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        token = _reading_from_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading_from_replica.reset(token)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reading_from_replica.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA if replica_usable() else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
