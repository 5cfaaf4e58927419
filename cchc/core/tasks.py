"""The daily file sweep: `run_scheduler` calls `sweep_files_enqueue`; `db_worker` runs it. And
queueing jobs in one insert (`enqueue_each`, `jobs_batched`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


_batch: ContextVar[list | None] = ContextVar("cchc_jobs_batch", default=None)


def enqueue_each(job, calls: list[tuple]) -> None:
    """Queue `job` once per tuple of positional arguments in `calls`: as many jobs as
    `job.enqueue(*args)` one by one would queue (each runs and retries on its own), written by
    one insert on the database backend, inside the caller's transaction like `enqueue`. Inside
    `jobs_batched()` they are written when the block ends, with the others queued there."""
    batch = _batch.get()
    if batch is not None:
        batch.extend((job, tuple(args)) for args in calls)
        return
    _insert_jobs([(job, tuple(args)) for args in calls])


@contextmanager
def jobs_batched() -> Iterator[None]:
    """Jobs queued by `enqueue_each` in the block (by several apps' receivers of one change, say)
    are written together by one insert when it ends. Use it inside the change's transaction: a
    block that raises writes none (the transaction rolls back anyway)."""
    if _batch.get() is not None:  # nested: the outermost block writes them
        yield
        return
    batch: list = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    _insert_jobs(batch)


def _insert_jobs(jobs: list[tuple]) -> None:
    backends = [job.get_backend() for job, _args in jobs]
    if len(jobs) < 2 or not all(isinstance(backend, DatabaseBackend) for backend in backends):
        for job, args in jobs:
            job.enqueue(*args)
        return
    rows = []
    for (job, args), backend in zip(jobs, backends, strict=True):
        backend.validate_task(job)
        rows.append(
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
        )
    DBTaskResult.objects.bulk_create(rows)
    for row, backend in zip(rows, backends, strict=True):
        task_enqueued.send(type(backend), task_result=row.task_result)
