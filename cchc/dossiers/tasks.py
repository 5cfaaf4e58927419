"""Background work (Django Tasks, database backend): delivering notifications, watching deadlines.

`manage.py db_worker` runs the jobs; `manage.py run_scheduler` queues `scan_deadlines`
every few minutes. `make run` starts both beside the web server.
"""

import logging

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import Notification

logger = logging.getLogger(__name__)


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one queued notification, at most once.

    The notice is claimed (pending → sent) by a conditional update before the provider is
    called, so a job delivered twice, or by two workers at once, sends one message. A
    provider failure marks it failed with the error instead of raising: the job must not
    loop, and the failure stays visible on the notice.
    """
    from .notifications import provider_for

    claimed = Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING).update(
        state=Notification.State.SENT, sent_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        provider_for(notification.channel).send(
            address=notification.address, subject=notification.subject, body=notification.body
        )
    except Exception as exc:  # any provider error is recorded on the notice
        logger.warning("notification %s (%s) failed: %s", notification.pk, notification.channel, exc)
        Notification.objects.filter(pk=notification.pk).update(
            state=Notification.State.FAILED, sent_at=None, error=str(exc)[:2000]
        )
        return "failed"
    return "sent"


@task()
def scan_deadlines() -> dict:
    """Flag dossiers due within a working day and late ones; tell the assignee and unit head once."""
    from .services import deadlines_scan

    return deadlines_scan()


def scan_deadlines_enqueue() -> bool:
    """Queue a deadline scan unless one is already waiting; True when one was queued.

    While the worker is stopped the scheduler keeps ticking: one waiting scan is enough.
    """
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=scan_deadlines.module_path)
    if waiting.exists():
        return False
    scan_deadlines.enqueue()
    return True


@task()
def sweep_staged_uploads() -> int:
    """Remove the files kept for dossier forms nobody sent again (`StagedUpload`)."""
    from .services import staged_uploads_sweep

    return staged_uploads_sweep()


def sweep_staged_uploads_enqueue() -> bool:
    """Queue a sweep unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep_staged_uploads.module_path)
    if waiting.exists():
        return False
    sweep_staged_uploads.enqueue()
    return True
