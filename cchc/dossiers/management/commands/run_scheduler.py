"""Queue the periodic jobs (settings.CCHC_PERIODIC_JOBS: the deadline scan, payment
reconciliation, the reports' refresh…) now and every `--every` minutes until stopped.

The jobs themselves run in `manage.py run_worker`; this process only writes them to the queue,
so it stays tiny and can be stopped at any moment (SIGTERM or Ctrl+C ends it between ticks).

Safe to start on several machines: every tick (at most `HOUSEKEEPING_SECONDS` apart) renews a
database lease (`cchc.core.leases`), and only its holder queues jobs; when the holder dies, another
takes over once the lease has expired. The holder also gives back to the queue the jobs claimed by
a worker that stopped beating (`cchc.core.heartbeat`).
"""

import logging
import os
import signal
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from cchc.core.heartbeat import requeue_jobs_of_stale_workers
from cchc.core.leases import lease_acquire, lease_release

logger = logging.getLogger(__name__)

LEASE = "scheduler"
HOUSEKEEPING_SECONDS = 30.0
LEASE_SECONDS = 3 * HOUSEKEEPING_SECONDS


class Command(BaseCommand):
    help = "Queue the periodic jobs every N minutes (default 15) until SIGTERM or Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=15.0, help="minutes between scans (default 15)")
        parser.add_argument("--once", action="store_true", help="queue one scan and exit")

    def handle(self, *args, every: float, once: bool, **options):
        if every <= 0:
            raise CommandError("--every must be a positive number of minutes")
        self.verbosity = options["verbosity"]
        self.holder = f"{socket.gethostname()}-{os.getpid()}-{get_random_string(6)}"
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        next_queue_at = 0.0
        try:
            while not stop.is_set():
                _refresh_connection()
                try:
                    if self.tick(queue=time.monotonic() >= next_queue_at):
                        next_queue_at = time.monotonic() + every * 60
                except DatabaseError:
                    # The database is away: try again at the next tick instead of dying.
                    logger.exception("scheduler: tick failed")
                if once:
                    break
                stop.wait(min(every * 60, HOUSEKEEPING_SECONDS))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _refresh_connection()
            try:
                lease_release(name=LEASE, holder=self.holder)
            except DatabaseError:
                logger.warning("scheduler: could not release the lease; it expires by itself")
        if self.verbosity > 0 and not once:
            self.stdout.write("scheduler: stopped")

    def tick(self, *, queue: bool) -> bool:
        """Renew the lease; its holder requeues a dead worker's jobs and, when `queue`, queues
        the periodic jobs. Returns whether they were queued."""
        if not lease_acquire(name=LEASE, holder=self.holder, seconds=LEASE_SECONDS):
            if self.verbosity > 1:
                self.stdout.write("scheduler: another scheduler holds the lease; standing by")
            return False
        requeued = requeue_jobs_of_stale_workers(timedelta(seconds=settings.CCHC_WORKER_STALE_SECONDS))
        if requeued and self.verbosity > 0:
            self.stdout.write(f"scheduler: {requeued} job(s) of a silent worker back in the queue")
        if not queue:
            return False
        # Each app's periodic job is named in settings, so this command imports none of them.
        for path in settings.CCHC_PERIODIC_JOBS:
            queued = import_string(path)()
            if self.verbosity > 1 or (queued and self.verbosity > 0):
                note = "queued" if queued else "already waiting"
                self.stdout.write(f"scheduler: {path}: {note}")
        return True


def _refresh_connection() -> None:
    """A long-lived process drops stale connections between ticks (never one inside a
    transaction, such as a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()
