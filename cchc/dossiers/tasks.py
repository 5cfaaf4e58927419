"""Background work (Django Tasks, database backend): delivering notifications, watching deadlines."""

from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one queued notification; sending twice is prevented by its state."""
    from .notifications import provider_for

    notification = Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING).first()
    if notification is None:
        return "skipped"
    try:
        provider_for(notification.channel).send(
            address=notification.address, subject=notification.subject, body=notification.body
        )
    except Exception as exc:  # a provider failure is recorded, not raised: the task must not loop
        Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILED, error=str(exc)[:2000])
        return "failed"
    Notification.objects.filter(pk=notification.pk).update(state=Notification.State.SENT, sent_at=timezone.now())
    return "sent"


@task()
def scan_deadlines() -> dict:
    """Flag dossiers due within a working day and late ones; tell the assignee and unit head once."""
    from .services import deadlines_scan

    return deadlines_scan()
