"""Background jobs known by name, so that the code queuing a job need not import the code doing it.

An app's `tasks.py` defines each job with `@job("app.name")` (Django Tasks' `@task` that also
records the job under its name) and calls the services to do the work; a service queues the job
with `named("app.name").enqueue(...)`. The dependency runs one way, `tasks` → `services` →
`core.jobs`, even when a job's work queues another job (a refund queues the receipt's
adjustment, a failed delivery its retry). `CoreConfig.ready()` imports every CCHC app's `tasks`
module (`discover`), so each job is known in every process before a request, a command or a
worker runs; the stored `task_path` of a queued job is still the task's module path.
"""

from collections.abc import Callable
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
