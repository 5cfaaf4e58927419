"""Background work (Django Tasks, database backend): delivering notifications, watching deadlines.

`manage.py db_worker` runs the jobs; `manage.py run_scheduler` queues `scan_deadlines`
every few minutes. `make run` starts both beside the web server. The jobs call the services and
the notification providers; those queue the jobs by name (`cchc.core.jobs`) and never import
this module.
"""

import logging
from datetime import timedelta

from django.db.models import F, Q
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.core import clock
from cchc.core.jobs import job

from .models import Notification
from .notifications import DeliveryRefused, provider_for
from .services import deadlines_scan, staged_uploads_sweep

logger = logging.getLogger(__name__)


# Retries of a failed delivery: after 1, 2, 4, 8 minutes, then the notice is marked failed.
MAX_ATTEMPTS = 5
# An attempt older than this whose worker never finished it (killed mid-send) may be claimed again.
ATTEMPT_LEASE = timedelta(minutes=10)


@job("dossiers.deliver_notification")
def deliver_notification(notification_id: int) -> str:
    """Deliver one notification, at least once.

    The notice is claimed (pending, or an attempt abandoned longer than `ATTEMPT_LEASE` → sending)
    by a conditional update, so two workers never send it at the same moment. It is marked sent
    only after the provider accepted it. A failure is recorded (attempts, last error) and retried
    with backoff by a job queued for later, up to `MAX_ATTEMPTS`, then the notice is failed. A
    worker killed between the provider's answer and the update leaves the notice "sending": the job
    is given back to the queue by the heartbeat check (`core.heartbeat`), and the retry hands the
    provider the same key (`Notification.provider_key`), so a provider that honours keys sends once.
    """
    now = clock.now()
    claimable = Q(state=Notification.State.PENDING) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - ATTEMPT_LEASE
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1, next_attempt_at=None
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    provider = provider_for(notification.channel)
    try:
        accepted = provider.deliver(notification)
    except DeliveryRefused as exc:  # final: another attempt would be refused the same way
        logger.warning("notification %s (%s) refused: %s", notification.pk, notification.channel, exc)
        Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILED, error=str(exc)[:2000])
        return "failed"
    except Exception as exc:  # any provider error is recorded on the notice
        logger.warning("notification %s (%s) failed: %s", notification.pk, notification.channel, exc)
        return _attempt_failed(notification, error=str(exc)[:2000])
    Notification.objects.filter(pk=notification.pk, state=Notification.State.SENDING).update(
        state=Notification.State.SENT, sent_at=clock.now(), error="", provider_message_id=str(accepted or "")[:255]
    )
    return "sent"


def _attempt_failed(notification: Notification, *, error: str) -> str:
    if notification.attempts >= MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILED, error=error)
        return "failed"
    retry_at = clock.now() + timedelta(minutes=2 ** (notification.attempts - 1))
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.PENDING, error=error, next_attempt_at=retry_at
    )
    deliver_notification.using(run_after=retry_at).enqueue(notification.pk)
    return "retry"


@job("dossiers.scan_deadlines")
def scan_deadlines() -> dict:
    """Flag dossiers due within a working day and late ones; tell the assignee and unit head once."""
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


@job("dossiers.sweep_staged_uploads")
def sweep_staged_uploads() -> int:
    """Remove the files kept for dossier forms nobody sent again (`StagedUpload`)."""
    return staged_uploads_sweep()


def sweep_staged_uploads_enqueue() -> bool:
    """Queue a sweep unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=sweep_staged_uploads.module_path)
    if waiting.exists():
        return False
    sweep_staged_uploads.enqueue()
    return True
