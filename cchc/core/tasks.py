"""The daily file sweep: `run_scheduler` calls `sweep_files_enqueue`; `db_worker` runs it. And
queueing one job per item in one insert (`enqueue_each`)."""

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from .blobs import SWEEP_AGE, blob_sweep
from .models import PendingFile


@task()
def sweep_files() -> int:
    """Remove stored files that nothing referenced a day after they were written; returns how many."""
    return blob_sweep()


def sweep_files_enqueue() -> bool:
    """Queue a sweep when some pending file is over a day old and no sweep waits; True when queued."""
    if not PendingFile.objects.filter(at__lt=timezone.now() - SWEEP_AGE).exists():
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep_files.module_path)
    if waiting.exists():
        return False
    sweep_files.enqueue()
    return True


def enqueue_each(job, calls: list[tuple]) -> None:
    """Queue `job` once per tuple of positional arguments in `calls`: as many jobs as
    `job.enqueue(*args)` one by one would queue (each runs and retries on its own), written by
    one insert on the database backend (inside the caller's transaction, like `enqueue`)."""
    backend = job.get_backend()
    if len(calls) < 2 or not isinstance(backend, DatabaseBackend):
        for args in calls:
            job.enqueue(*args)
        return
    backend.validate_task(job)
    rows = DBTaskResult.objects.bulk_create(
        [
            DBTaskResult(
                id=backend._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": {}}),
                priority=job.priority,
                task_path=job.module_path,
                queue_name=job.queue_name,
                # What the model's pre_save receiver (which bulk_create skips) does for "now".
                run_after=job.run_after if job.run_after is not None else get_date_max(),
                backend_name=backend.alias,
            )
            for args in calls
        ]
    )
    for row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
