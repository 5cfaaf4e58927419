"""Queue the periodic jobs (settings.CCHC_PERIODIC_JOBS: the deadline scan, payment
reconciliation) now and every `--every` minutes until stopped.

The jobs themselves run in `manage.py db_worker`; this process only writes them to the queue,
so it stays tiny and can be stopped at any moment (SIGTERM or Ctrl+C ends it between ticks).
"""

import signal
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from cchc.core.heartbeat import requeue_jobs_of_stale_workers


class Command(BaseCommand):
    help = "Queue the deadline scan every N minutes (default 15) until SIGTERM or Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=15.0, help="minutes between scans (default 15)")
        parser.add_argument("--once", action="store_true", help="queue one scan and exit")

    def handle(self, *args, every: float, once: bool, **options):
        if every <= 0:
            raise CommandError("--every must be a positive number of minutes")
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stop.is_set():
                _refresh_connection()
                requeued = requeue_jobs_of_stale_workers(timedelta(seconds=settings.CCHC_WORKER_STALE_SECONDS))
                if requeued and options["verbosity"] > 0:
                    self.stdout.write(f"scheduler: {requeued} job(s) of a silent worker back in the queue")
                # Each app's periodic job is named in settings, so this command imports none of them.
                for path in settings.CCHC_PERIODIC_JOBS:
                    queued = import_string(path)()
                    if options["verbosity"] > 1 or (queued and options["verbosity"] > 0):
                        note = "queued" if queued else "already waiting"
                        self.stdout.write(f"scheduler: {path}: {note}")
                if once:
                    break
                stop.wait(every * 60)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _refresh_connection()
        if options["verbosity"] > 0 and not once:
            self.stdout.write("scheduler: stopped")


def _refresh_connection() -> None:
    """A long-lived process drops stale connections between ticks (never one inside a
    transaction, such as a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()
