"""Sealing the audit log's days: `run_scheduler` calls `seal_days_enqueue` every few minutes; it
queues `seal_audit_days` once a day is over and not sealed yet; `db_worker` runs it."""

import datetime as dt

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.core import clock

from .models import AuditCheckpoint
from .services import audit_checkpoint_seal


@task()
def seal_audit_days() -> str:
    """Seal yesterday and any unsealed day before it; returns the last checkpoint's root."""
    yesterday = clock.localdate() - dt.timedelta(days=1)
    return audit_checkpoint_seal(day=yesterday).root


def seal_days_enqueue() -> bool:
    """Queue the sealing when yesterday is not sealed and no sealing waits; True when queued."""
    yesterday = clock.localdate() - dt.timedelta(days=1)
    if AuditCheckpoint.objects.filter(day__gte=yesterday).exists():
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=seal_audit_days.module_path)
    if waiting.exists():
        return False
    seal_audit_days.enqueue()
    return True
