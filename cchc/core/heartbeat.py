"""Heartbeats of the task workers.

`manage.py run_worker` runs django-tasks-db's worker with a thread that calls `beat(worker_id)`
every `CCHC_WORKER_BEAT_SECONDS`. `latest_beat()` answers whether any worker is alive (the
readiness check); `stale_workers(max_age)` names the workers that stopped beating, so the jobs they
had claimed can be given back to the queue.
"""

import os
import socket
import threading
from datetime import datetime, timedelta

from django.db import close_old_connections, connection

from cchc.core import clock

from .models import WorkerBeat


def beat(worker_id: str) -> WorkerBeat:
    """Record that `worker_id` (this process) is alive now."""
    now = clock.now()
    worker, created = WorkerBeat.objects.get_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "started_at": now, "beat_at": now},
    )
    if not created:
        WorkerBeat.objects.filter(pk=worker.pk).update(beat_at=now)
        worker.beat_at = now
    return worker


def latest_beat() -> datetime | None:
    """The moment of the most recent beat of any worker, or None when no worker ever beat."""
    return WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def stale_workers(max_age: timedelta):
    """The workers whose last beat is older than `max_age` (dead, stopped or stuck)."""
    return WorkerBeat.objects.filter(beat_at__lt=clock.now() - max_age).order_by("beat_at")


def forget_worker(worker_id: str) -> None:
    """A worker that stops cleanly removes its row, so it is not taken for a dead one."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


class BeatingThread(threading.Thread):
    """Calls `beat(worker_id)` now and every `every` seconds until `stop()`.

    It uses its own database connection (Django's connections are per thread) and closes it after
    each beat, so an idle worker holds no extra connection. A failed beat (the database is down) is
    retried at the next tick; the readiness check is what notices.
    """

    def __init__(self, worker_id: str, every: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                beat(self.worker_id)
            except Exception:  # a missed beat must never end the worker
                close_old_connections()
            finally:
                connection.close()
            self._stopped.wait(self.every)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=self.every + 5)


def requeue_jobs_of_stale_workers(max_age: timedelta) -> int:
    """Give back to the queue the jobs still marked running by a worker that stopped beating
    (killed mid-job, its machine gone). Returns how many. Jobs of workers without any beat row
    (a plain `db_worker`) are left alone: nothing says they are dead.

    Jobs here are written to be safe to run again (they lock and re-check what they change).
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    dead = set(stale_workers(max_age).values_list("worker_id", flat=True))
    if not dead:
        return 0
    requeued = 0
    for job in DBTaskResult.objects.running().only("pk", "worker_ids"):
        if job.worker_ids and job.worker_ids[-1] in dead:
            requeued += DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
    WorkerBeat.objects.filter(worker_id__in=dead).delete()
    return requeued
