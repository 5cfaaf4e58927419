"""What `/readyz` checks: each backing service the application needs, with its state.

Each check returns `None` when all is well, or a short English reason (for the operator's monitoring,
not for citizens). `readiness()` runs them all and times each one.
"""

import os
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from cchc.core import clock

from .heartbeat import latest_beat

PROBE_KEY = "cchc:readyz"
_migrated = False


def check_database() -> str | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_cache() -> str | None:
    for alias in settings.CACHES:
        cache = caches[alias]
        stamp = str(time.time())
        cache.set(PROBE_KEY, stamp, 30)
        if cache.get(PROBE_KEY) != stamp:
            return f"cache {alias!r} did not return what was written"
    return None


def check_storage() -> str | None:
    if isinstance(default_storage, FileSystemStorage):
        location = default_storage.location
        # A new installation has no media folder until its first upload; the storage makes it then.
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            return "the media folder is not writable"
        return None
    # An object store: a HEAD on a key that need not exist reaches the bucket with our credentials.
    default_storage.exists("readyz-probe")
    return None


def check_worker() -> str | None:
    beat = latest_beat()
    if beat is None:
        return "no task worker has ever beaten"
    age = clock.now() - beat
    if age > timedelta(seconds=settings.CCHC_WORKER_STALE_SECONDS):
        return f"the last worker beat is {int(age.total_seconds())} s old"
    return None


def check_migrations() -> str | None:
    """Unapplied migrations (an upgrade half done). Once all are applied, a running process keeps
    that answer: migrations are not unapplied under it."""
    global _migrated  # a per-process memo of a fact that only ever becomes true
    if _migrated:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied"
    _migrated = True
    return None


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
    "migrations": check_migrations,
}


def readiness() -> tuple[bool, dict]:
    """(all ready, {check: {"ok", "ms", "error"?}}). A check that raises is failing with the
    exception's class and message."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            problem = check()
        except Exception as exc:  # any failure of a backing service is a failing check, never a 500
            problem = f"{type(exc).__name__}: {exc}"[:300]
        result = {"ok": problem is None, "ms": round((time.monotonic() - started) * 1000, 1)}
        if problem is not None:
            result["error"] = problem
        results[name] = result
    return all(r["ok"] for r in results.values()), results
