"""Background jobs known by name, so that the code queuing a job need not import the code doing it.

An app's `tasks.py` defines each job with `@job("app.name")` (Django Tasks' `@task` that also
records the job under its name) and calls the services to do the work; a service queues the job
with `named("app.name").enqueue(...)`. The dependency runs one way, `tasks` → `services` →
`core.jobs`, even when a job's work queues another job (a refund queues the receipt's
adjustment, a failed delivery its retry). `CoreConfig.ready()` imports every CCHC app's `tasks`
module (`discover`), so each job is known in every process before a request, a command or a
worker runs; the stored `task_path` of a queued job is still the task's module path.
`enqueue_each` and `jobs_batched` write several jobs in one insert; `jobs_held` queues none (the demo's past).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule
from django_tasks import task
from django_tasks.base import Task

_JOBS: dict[str, Task] = {}


def job(name: str, **options) -> Callable[[Callable], Task]:
    """`@task(**options)`, and the task is queued elsewhere by `name`."""

    def register(function: Callable) -> Task:
        defined = task(**options)(function)
        known = _JOBS.get(name)
        if known is not None and known.module_path != defined.module_path:
            raise ImproperlyConfigured(f"two jobs named {name!r}: {known.module_path} and {defined.module_path}")
        _JOBS[name] = defined
        return defined

    return register


def named(name: str) -> Task:
    """The job called `name`, to `enqueue` (or `using(run_after=...).enqueue`)."""
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"no background job named {name!r}; known: {', '.join(sorted(_JOBS))}") from None


def known() -> frozenset[str]:
    return frozenset(_JOBS)


def discover() -> None:
    """Import the `tasks` module of every CCHC app (as the worker would when it runs one of them)."""
    for config in apps.get_app_configs():
        if config.name.startswith("cchc.") and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")


# ---------------------------------------------------------------- queueing several jobs in one insert

_batch: ContextVar[list | None] = ContextVar("cchc_jobs_batch", default=None)
_held: ContextVar[bool] = ContextVar("cchc_jobs_held", default=False)


@contextmanager
def jobs_held() -> Iterator[None]:
    """Queue nothing through `enqueue_each` while the block runs: for replaying the past (the demo's
    dossiers), whose changes must not each start work now. What they left to do stays recorded
    where the scheduler's periodic ticks find it (the DVCQG outbox's pending messages)."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def enqueue_each(job_: Task, calls: list[tuple]) -> None:
    """Queue `job_` once per tuple of positional arguments in `calls`: as many jobs as
    `job_.enqueue(*args)` one by one would queue (each runs and retries on its own), written by
    one insert on the database backend, inside the caller's transaction like `enqueue`. Inside
    `jobs_batched()` they are written when the block ends, with the others queued there."""
    if _held.get():
        return
    batch = _batch.get()
    if batch is not None:
        batch.extend((job_, tuple(args)) for args in calls)
        return
    _insert_jobs([(job_, tuple(args)) for args in calls])


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


def _insert_jobs(queued: list[tuple]) -> None:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult, get_date_max

    backends = [job_.get_backend() for job_, _args in queued]
    if len(queued) < 2 or not all(isinstance(backend, DatabaseBackend) for backend in backends):
        for job_, args in queued:
            job_.enqueue(*args)
        return
    rows = []
    for (job_, args), backend in zip(queued, backends, strict=True):
        backend.validate_task(job_)
        rows.append(
            DBTaskResult(
                id=backend._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": {}}),
                priority=job_.priority,
                task_path=job_.module_path,
                queue_name=job_.queue_name,
                # What the model's pre_save receiver (which bulk_create skips) does for "now".
                run_after=job_.run_after if job_.run_after is not None else get_date_max(),
                backend_name=backend.alias,
            )
        )
    DBTaskResult.objects.bulk_create(rows)
    for row, backend in zip(rows, backends, strict=True):
        task_enqueued.send(type(backend), task_result=row.task_result)
