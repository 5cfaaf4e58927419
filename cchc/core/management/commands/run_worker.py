"""The task worker as production runs it: django-tasks-db's `db_worker` plus a heartbeat.

A thread beside the job loop records the worker's beat every `CCHC_WORKER_BEAT_SECONDS`
(`cchc.core.heartbeat`); `/readyz` reports a worker whose last beat is older than
`CCHC_WORKER_STALE_SECONDS`, and the scheduler gives the jobs of such a worker back to the queue.
On a clean stop (SIGTERM, Ctrl+C) the worker finishes its job and removes its beat row.
"""

import contextlib
import socket

from django.conf import settings
from django.db import DatabaseError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from cchc.core.heartbeat import BeatingThread, forget_worker


class Command(db_worker.Command):
    help = "Run the background task worker with a heartbeat (db_worker's options apply)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # One id per process, readable in the beat table: host, then a random tail.
        host = socket.gethostname().split(".")[0][:40]
        parser.set_defaults(worker_id=f"{host}-{get_random_string(12)}", reload=False)

    def handle(self, *args, worker_id: str, **options) -> None:
        heart = BeatingThread(worker_id, settings.CCHC_WORKER_BEAT_SECONDS)
        heart.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heart.stop()
            # The database may be what stopped us; the beat row then just ages.
            with contextlib.suppress(DatabaseError):
                forget_worker(worker_id)
