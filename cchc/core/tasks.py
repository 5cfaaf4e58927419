"""The daily file sweep: `run_scheduler` calls `sweep_files_enqueue`; `db_worker` runs it."""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.core import clock

from .blobs import SWEEP_AGE, blob_sweep
from .models import PendingFile


@task()
def sweep_files() -> int:
    """Remove stored files that nothing referenced a day after they were written; returns how many."""
    return blob_sweep()


def sweep_files_enqueue() -> bool:
    """Queue a sweep when some pending file is over a day old and no sweep waits; True when queued."""
    if not PendingFile.objects.filter(at__lt=clock.now() - SWEEP_AGE).exists():
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep_files.module_path)
    if waiting.exists():
        return False
    sweep_files.enqueue()
    return True
